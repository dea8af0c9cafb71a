import { InvalidRequestError } from '../platform/errors/errors.js';
import type { MetadataValue } from './lexical/lexical-index.js';
import { holdsUnstorableText } from '../platform/http/unstorable-text.js';

export interface SearchFilters {
  modifiedFrom?: Date;
  modifiedTo?: Date;
  metadata?: Record<string, MetadataValue>;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;
const MAX_METADATA_KEYS = 20;

const bad = (message: string) => new InvalidRequestError(message, 'invalid_filter');

/** An ISO 8601 date (UTC day) or date-time with a zone; `endOfDay` turns a bare date into the next day's start. */
function parseInstant(name: string, value: string, endOfDay: boolean): Date {
  const text = value.trim();
  if (DATE_ONLY.test(text)) {
    const day = new Date(`${text}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text)
      throw bad(`${name} is not a calendar date: ${JSON.stringify(value.slice(0, 40))}.`);
    if (endOfDay) day.setUTCDate(day.getUTCDate() + 1);
    return day;
  }
  const instant = DATE_TIME.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(instant.getTime()))
    throw bad(`${name} must be a date (2026-04-01) or a date-time with a zone (2026-04-01T09:00:00+09:00).`);
  return instant;
}

function parseMetadata(value: string | Record<string, unknown>): Record<string, MetadataValue> {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw bad('metadata must be a JSON object, e.g. {"department":"sales"}.');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw bad('metadata must be a JSON object, e.g. {"department":"sales"}.');
  // JSON escapes can spell what the query string itself could not carry (NUL, lone surrogates).
  if (holdsUnstorableText(parsed)) throw bad('metadata must be well-formed Unicode without NUL.');
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 0 || entries.length > MAX_METADATA_KEYS)
    throw bad(`metadata needs 1 to ${MAX_METADATA_KEYS} keys.`);
  for (const [key, v] of entries) {
    if (key === '' || key.length > 100) throw bad('metadata keys have 1 to 100 characters.');
    if (!['string', 'number', 'boolean'].includes(typeof v) || (typeof v === 'string' && v.length > 500))
      throw bad(`metadata.${key.slice(0, 40)} must be a string (≤ 500 characters), a number or a boolean.`);
  }
  return Object.fromEntries(entries) as Record<string, MetadataValue>;
}

/** The date-range and metadata filters of a search request, validated (400 invalid_filter otherwise). */
export function parseFilters(request: {
  from?: string | undefined;
  to?: string | undefined;
  metadata?: string | Record<string, unknown> | undefined;
}): SearchFilters {
  const filters: SearchFilters = {};
  if (request.from !== undefined && request.from !== '')
    filters.modifiedFrom = parseInstant('from', request.from, false);
  if (request.to !== undefined && request.to !== '')
    filters.modifiedTo = parseInstant('to', request.to, true);
  if (filters.modifiedFrom && filters.modifiedTo && filters.modifiedFrom >= filters.modifiedTo)
    throw bad('from must be before to.');
  if (request.metadata !== undefined && request.metadata !== '')
    filters.metadata = parseMetadata(request.metadata);
  return filters;
}
