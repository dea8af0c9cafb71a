import type { FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../errors/errors.js';
import { LONE_SURROGATE } from '../text/well-formed.js';

/** NUL, or half of a surrogate pair: text PostgreSQL cannot store (jsonb rejects the escape). */
const unstorable = (text: string): boolean => text.includes('\u0000') || LONE_SURROGATE.test(text);

/** Does a parsed JSON value or query hold unstorable text? Depth-bounded (bodies are ≤ 1 MiB). */
export function holdsUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return unstorable(value);
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => holdsUnstorableText(item, depth + 1));
  return Object.entries(value).some(([key, item]) => unstorable(key) || holdsUnstorableText(item, depth + 1));
}

/**
 * PostgreSQL text cannot hold the NUL character, nor jsonb a lone surrogate: such text that reached
 * a query failed there as a 500 (or cut a streamed export short). Refused at the door instead, as a
 * clear 400, for every route.
 */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  // Fields whose routes already clean (search terms) or refuse (questions) control characters themselves.
  const own = OWN_HANDLING[`${request.method} ${request.routeOptions.url ?? ''}`];
  const strip = (value: unknown) =>
    own && value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).filter(([key]) => key !== own))
      : value;
  if (
    holdsUnstorableText(strip(request.query)) ||
    holdsUnstorableText(request.params) ||
    holdsUnstorableText(strip(request.body))
  )
    throw new InvalidRequestError(
      'Text must be well-formed Unicode without the NUL character (U+0000).',
      'invalid_text',
    );
}

const OWN_HANDLING: Record<string, string> = {
  'GET /api/v1/search': 'q',
  'POST /api/v1/ask': 'question',
};
