import { AppError } from '../../platform/errors/errors.js';

/** Why a request was refused: the console reads `details.reason` to explain a 429 or 413. */
export type QuotaReason = 'requests_per_minute' | 'storage' | 'monthly_tokens' | 'group_monthly_tokens';

export class RequestRateExceededError extends AppError {
  constructor(limit: number, retryAfterSeconds: number) {
    const retry = Math.max(1, Math.ceil(retryAfterSeconds));
    super(
      429,
      'rate_limited',
      `Your company may make ${limit} requests a minute; try again in ${retry} s.`,
      true,
      { 'retry-after': String(retry) },
      { reason: 'requests_per_minute' satisfies QuotaReason, limit, retryAfterSeconds: retry },
    );
  }
}

export class QuotaExceededError extends AppError {
  constructor(
    reason: Exclude<QuotaReason, 'requests_per_minute'>,
    message: string,
    facts: Record<string, number>,
  ) {
    // Storage: the request is too large for what is left (413). Tokens: wait for next month (429).
    super(reason === 'storage' ? 413 : 429, 'quota_exceeded', message, true, {}, { reason, ...facts });
  }
}

export const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
