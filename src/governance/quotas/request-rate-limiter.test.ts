import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestRateLimiter } from './request-rate-limiter.js';

const W = 60_000;

describe('RequestRateLimiter (sliding window per company)', () => {
  it('never lets a company exceed its limit within one clock minute', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 5 * W }), { minLength: 1, maxLength: 300 }),
        (limit, times) => {
          const limiter = new RequestRateLimiter(W);
          const allowed = new Map<number, number>();
          for (const now of [...times].sort((a, b) => a - b)) {
            if (limiter.take('co', limit, now).allowed) {
              const minute = Math.floor(now / W);
              allowed.set(minute, (allowed.get(minute) ?? 0) + 1);
            }
          }
          for (const count of allowed.values()) expect(count).toBeLessThanOrEqual(limit);
        },
      ),
    );
  });

  it('lets the refused caller in again when Retry-After has passed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 2 * W }), { minLength: 1, maxLength: 200 }),
        (limit, times) => {
          const limiter = new RequestRateLimiter(W);
          for (const now of [...times].sort((a, b) => a - b)) {
            const verdict = limiter.take('co', limit, now);
            if (!verdict.allowed) {
              expect(verdict.retryAfterMs).toBeGreaterThan(0);
              expect(verdict.retryAfterMs).toBeLessThanOrEqual(2 * W);
              expect(limiter.take('co', limit, now + verdict.retryAfterMs).allowed).toBe(true);
              return;
            }
          }
        },
      ),
    );
  });

  it('counts companies apart', () => {
    const limiter = new RequestRateLimiter(W);
    expect(limiter.take('a', 1, 1000).allowed).toBe(true);
    expect(limiter.take('a', 1, 1001).allowed).toBe(false);
    expect(limiter.take('b', 1, 1002).allowed).toBe(true);
  });
});
