import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError } from '../errors/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** The one place where errors become responses: `{"error":{"code","message"}}` with a stable code. */
export function toErrorResponse(error: unknown): {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
} {
  if (error instanceof AppError) {
    const message = error.expose ? error.message : 'Internal error.';
    const details = error.expose && error.details ? { details: error.details } : {};
    return {
      status: error.status,
      body: { error: { code: error.code, message, ...details } },
      headers: error.headers,
    };
  }
  if (error instanceof ZodError) {
    return { status: 400, body: invalid(error.issues), headers: {} };
  }
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const issues = fastifyError.validation.map((v) => ({
      path: `${fastifyError.validationContext ?? ''}${v.instancePath}`,
      message: v.message ?? 'invalid',
    }));
    return { status: 400, body: invalid(issues), headers: {} };
  }
  if (fastifyError.statusCode === 415) {
    return {
      status: 415,
      body: { error: { code: 'unsupported_media_type', message: fastifyError.message } },
      headers: {},
    };
  }
  if (fastifyError.statusCode === 413) {
    return {
      status: 413,
      body: { error: { code: 'payload_too_large', message: 'The request body is too large.' } },
      headers: {},
    };
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // Malformed JSON, empty bodies with a JSON content type and the like.
    return {
      status: 400,
      body: { error: { code: 'invalid_request', message: fastifyError.message } },
      headers: {},
    };
  }
  return {
    status: 500,
    body: { error: { code: 'internal_error', message: 'Internal error.' } },
    headers: {},
  };
}

function invalid(issues: ReadonlyArray<{ path: unknown; message: string }>): ErrorBody {
  const first = issues[0];
  const where = first && Array.isArray(first.path) ? first.path.join('.') : String(first?.path ?? '');
  return {
    error: {
      code: 'invalid_request',
      message: first ? `${where ? `${where}: ` : ''}${first.message}` : 'The request is invalid.',
      details: issues.map((i) => ({
        path: Array.isArray(i.path) ? i.path.join('.') : i.path,
        message: i.message,
      })),
    },
  };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const response = toErrorResponse(error);
  if (response.status >= 500) request.log.error({ err: error }, 'request failed');
  return reply.status(response.status).headers(response.headers).send(response.body);
}
