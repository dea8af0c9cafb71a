import { RateLimitedError } from '../../platform/errors/errors.js';

/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one account (or from one address)
 * within the lockout window, further attempts are refused until the window has passed. In memory:
 * a restart forgets, which only ever helps a legitimate user.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; firstAt: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 `too_many_attempts` when any of the keys is locked. */
  assertAllowed(keys: string[]): void {
    for (const key of keys) {
      const entry = this.current(key);
      if (entry && entry.count >= this.maxFailures) {
        const retryAfter = (entry.firstAt + this.windowMs - this.now()) / 1000;
        throw new RateLimitedError('Too many failed sign-in attempts. Try again later.', retryAfter, 'too_many_attempts');
      }
    }
  }

  recordFailure(keys: string[]): void {
    for (const key of keys) {
      const entry = this.current(key) ?? { count: 0, firstAt: this.now() };
      entry.count += 1;
      this.failures.set(key, entry);
    }
  }

  recordSuccess(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private current(key: string): { count: number; firstAt: number } | undefined {
    const entry = this.failures.get(key);
    if (entry && entry.firstAt + this.windowMs <= this.now()) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
