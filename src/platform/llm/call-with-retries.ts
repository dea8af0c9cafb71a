import type { APICallError } from 'ai';
import { AppError } from '../errors/errors.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import { ProviderError, ProviderTimeoutError } from './gateway-errors.js';
import { loadModelSdk } from './model-sdk.js';

export interface RetryOptions {
  maxRetries: number;
  /** First backoff; doubles per retry, with jitter, capped by maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per attempt. */
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a failed attempt means: retry (429, 5xx, network), give up (other 4xx), or a timeout. */
function classify(
  error: unknown,
  signal: AbortSignal,
  apiCallError: typeof APICallError,
): { kind: 'timeout' | 'retry' | 'fatal'; status?: number; retryAfterMs?: number } {
  if (signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError')
    return { kind: 'timeout' };
  if (apiCallError.isInstance(error)) {
    const status = error.statusCode;
    const header = error.responseHeaders?.['retry-after'];
    const retryAfterMs = header && /^\d+(\.\d+)?$/.test(header) ? Number(header) * 1000 : undefined;
    const retry = status === undefined || status === 429 || status >= 500;
    return {
      kind: retry ? 'retry' : 'fatal',
      ...(status !== undefined ? { status } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return { kind: 'fatal' };
}

const describe = (error: unknown, status: number | undefined): string =>
  status !== undefined ? `HTTP ${status}` : (error as Error).message.slice(0, 200);

/**
 * Runs one model call against one provider: admitted by its circuit breaker, bounded by a timeout
 * per attempt, retried with exponential backoff (honouring Retry-After) on 429, 5xx and network
 * errors. The AI SDK's own retries are off, so every attempt passes through here and is counted.
 */
export async function callWithRetries<T>(
  provider: string,
  breakers: CircuitBreakers,
  options: RetryOptions,
  attempt: (signal: AbortSignal) => Promise<T>,
  callerSignal?: AbortSignal,
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const { APICallError } = await loadModelSdk();
  for (let retry = 0; ; retry += 1) {
    breakers.admit(provider);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    try {
      const result = await attempt(signal);
      breakers.succeeded(provider);
      return result;
    } catch (error) {
      if (error instanceof AppError) throw error;
      const outcome = classify(error, timeout, APICallError);
      if (outcome.kind === 'fatal')
        throw new ProviderError(provider, describe(error, outcome.status), outcome.status);
      breakers.failed(provider);
      if (outcome.kind === 'timeout') throw new ProviderTimeoutError(provider, options.timeoutMs);
      if (retry >= options.maxRetries || callerSignal?.aborted)
        throw new ProviderError(
          provider,
          `${describe(error, outcome.status)} after ${retry + 1} attempts`,
          outcome.status,
        );
      const backoff =
        Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry) * (0.5 + Math.random() / 2);
      await sleep(Math.min(options.maxDelayMs, outcome.retryAfterMs ?? backoff));
    }
  }
}
