/**
 * The few typed errors Kura raises. `code` is stable (clients branch on it), `expose` says whether
 * `message` may be shown to the caller; unexposed errors answer with a generic message.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly expose = status < 500,
    readonly headers: Record<string, string> = {},
    /** Machine-readable facts for clients (e.g. which quota refused a request); sent when exposed. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidRequestError extends AppError {
  constructor(message: string, code = 'invalid_request') {
    super(400, code, message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required.', code = 'unauthenticated') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.', code = 'forbidden') {
    super(403, code, message);
  }
}

/** Also used for objects of another company: their existence is never revealed. */
export class NotFoundError extends AppError {
  /** `hint`: a sentence after it, for the operator only (see tenancy/slug-hint.ts). */
  constructor(what = 'Resource', hint?: string) {
    super(404, 'not_found', hint ? `${what} not found. ${hint}` : `${what} not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(message: string, retryAfterSeconds: number, code = 'rate_limited') {
    super(429, code, message, true, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

/** Start-up problems (bad environment, unreachable database, locked data directory): one line, no stack. */
export class ConfigError extends AppError {
  constructor(message: string, code = 'config_error') {
    super(500, code, message, true);
  }
}
