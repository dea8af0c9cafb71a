import { AppError } from '../errors/errors.js';

/** The provider is refusing or failing repeatedly: the circuit is open, nothing was sent. */
export class ProviderUnavailableError extends AppError {
  constructor(provider: string, retryAfterMs: number) {
    super(
      503,
      'provider_unavailable',
      `model provider "${provider}" is failing; not calling it for ${Math.ceil(retryAfterMs / 1000)} s`,
      true,
      { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    );
  }
}

export class ProviderTimeoutError extends AppError {
  constructor(provider: string, timeoutMs: number) {
    super(
      504,
      'provider_timeout',
      `model provider "${provider}" did not answer within ${timeoutMs} ms`,
      true,
    );
  }
}

/** The provider answered with an error (after retries) or could not be reached. */
export class ProviderError extends AppError {
  constructor(
    provider: string,
    detail: string,
    readonly providerStatus?: number,
  ) {
    super(502, 'provider_error', `model provider "${provider}" failed: ${detail}`, true);
  }
}

export class NoProviderError extends AppError {
  constructor(what: 'chat' | 'embedding') {
    super(
      409,
      'no_provider',
      `no ${what} model provider is registered that this company's residency policy allows`,
      true,
    );
  }
}
