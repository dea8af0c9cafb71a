import type { TFunction } from 'i18next';
import type { ApiError } from '../api/client';

interface LimitDetails {
  reason?: string;
  limit?: number;
  used?: number;
  retryAfterSeconds?: number;
  limitBytes?: number;
  usedBytes?: number;
  requestedBytes?: number;
}

const megabytes = (bytes: number, language: string) =>
  `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;

/**
 * Which of the company's limits refused the request (the server names it in `details.reason`) and
 * when it may be tried again (Retry-After): a 429 or 413 explained, not a generic error.
 * undefined for any other error.
 */
export function describeLimit(t: TFunction, error: ApiError, language: string): string | undefined {
  if (error.code !== 'rate_limited' && error.code !== 'quota_exceeded') return undefined;
  const details = (typeof error.details === 'object' && error.details ? error.details : {}) as LimitDetails;
  const seconds = error.retryAfterSeconds ?? details.retryAfterSeconds;
  const number = new Intl.NumberFormat(language);
  const at = seconds === undefined ? undefined : new Date(Date.now() + seconds * 1000);
  if (details.reason === 'requests_per_minute' && details.limit !== undefined && at) {
    return t('errors.limits.requestsPerMinute', {
      limit: number.format(details.limit),
      seconds: number.format(seconds ?? 0),
      time: at.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    });
  }
  if (details.reason === 'monthly_tokens' && details.limit !== undefined) {
    return t('errors.limits.monthlyTokens', {
      limit: number.format(details.limit),
      used: number.format(details.used ?? details.limit),
      date: (at ?? nextMonth()).toLocaleDateString(language, {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
      }),
    });
  }
  if (details.reason === 'storage' && details.limitBytes !== undefined) {
    return t('errors.limits.storage', {
      limit: megabytes(details.limitBytes, language),
      used: megabytes(details.usedBytes ?? 0, language),
      requested: megabytes(details.requestedBytes ?? 0, language),
    });
  }
  if (error.code === 'quota_exceeded') return t('errors.limits.quota');
  return seconds !== undefined
    ? t('errors.limits.retryIn', { seconds: number.format(seconds) })
    : t('errors.rate_limited');
}

function nextMonth(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}
