import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '../../platform/http/error-handler.js';

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** Kura's typed errors in the shape OpenAI clients parse: `{"error":{"message","type","param","code"}}`. */
export function openAiError(status: number, code: string, message: string) {
  return { error: { message, type: TYPES[status] ?? 'api_error', param: null, code } };
}

/** The error handler of the OpenAI-compatible routes (same status and stable code as everywhere). */
export function handleOpenAiError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { status, body, headers } = toErrorResponse(error);
  if (status >= 500) request.log.error({ err: error }, 'OpenAI-compatible request failed');
  return reply
    .status(status)
    .headers(headers)
    .send(openAiError(status, body.error.code, body.error.message));
}
