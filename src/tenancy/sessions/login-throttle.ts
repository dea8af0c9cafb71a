import { RateLimitedError } from '../../platform/errors/errors.js';

/** One sign-in attempt: the account it names and the address it comes from. */
export interface LoginAttempt {
  account: string;
  address: string;
}

/**
 * A whole office often signs in from one address (NAT, proxy): an address may fail this many times
 * more than a single account before it is locked, so a few colleagues' typos never lock out everyone.
 */
export const ADDRESS_FACTOR = 20;

/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one account (or
 * `maxFailuresPerAddress` from one address) within the lockout window, further attempts are refused
 * until the window has passed. A success clears its account's failures, never its address's, so
 * signing in to one's own account cannot reset the count of guesses at other accounts. In memory:
 * a restart forgets, which only ever helps a legitimate user.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; firstAt: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxFailuresPerAddress = maxFailures * ADDRESS_FACTOR,
    /** Bounds memory when an attacker names a new account on every attempt. */
    private readonly maxEntries = 100_000,
  ) {}

  /** Throws 429 `too_many_attempts` when the account or the address is locked. */
  assertAllowed(attempt: LoginAttempt): void {
    for (const [key, limit] of this.keys(attempt)) {
      const entry = this.current(key);
      if (entry && entry.count >= limit) {
        const retryAfter = (entry.firstAt + this.windowMs - this.now()) / 1000;
        throw new RateLimitedError(
          'Too many failed sign-in attempts. Try again later.',
          retryAfter,
          'too_many_attempts',
        );
      }
    }
  }

  recordFailure(attempt: LoginAttempt): void {
    for (const [key] of this.keys(attempt)) {
      const entry = this.current(key) ?? { count: 0, firstAt: this.now() };
      entry.count += 1;
      this.failures.set(key, entry);
    }
    if (this.failures.size > this.maxEntries) this.prune();
  }

  recordSuccess(attempt: LoginAttempt): void {
    this.failures.delete(`account:${attempt.account}`);
  }

  private keys(attempt: LoginAttempt): Array<[string, number]> {
    return [
      [`account:${attempt.account}`, this.maxFailures],
      [`address:${attempt.address}`, this.maxFailuresPerAddress],
    ];
  }

  private current(key: string): { count: number; firstAt: number } | undefined {
    const entry = this.failures.get(key);
    if (entry && entry.firstAt + this.windowMs <= this.now()) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Drops expired entries, then the oldest ones, until the map is back within its bound. */
  private prune(): void {
    for (const key of [...this.failures.keys()]) this.current(key);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.maxEntries) break;
      this.failures.delete(key);
    }
  }
}
