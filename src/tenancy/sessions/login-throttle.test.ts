import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/errors.js';
import { ADDRESS_FACTOR, LoginThrottle } from './login-throttle.js';

const MINUTE = 60_000;

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function refusal(fn: () => void): AppError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

const alice = { account: 'acme:alice@example.com', address: '198.51.100.1' };

describe('LoginThrottle', () => {
  it('locks an account after maxFailures failures, with a Retry-After up to the end of the window', () => {
    const time = clock();
    const throttle = new LoginThrottle(3, 15 * MINUTE, time.now);
    for (let i = 0; i < 2; i++) {
      throttle.recordFailure(alice);
      expect(refusal(() => throttle.assertAllowed(alice))).toBeUndefined();
    }
    time.advance(MINUTE);
    throttle.recordFailure(alice);
    const error = refusal(() => throttle.assertAllowed(alice));
    expect(error).toMatchObject({ status: 429, code: 'too_many_attempts' });
    // The window started at the first failure, one minute ago: 14 minutes are left.
    expect(error?.headers['retry-after']).toBe(String(14 * 60));
  });

  it('lets the account in again once the window has passed', () => {
    const time = clock();
    const throttle = new LoginThrottle(2, 15 * MINUTE, time.now);
    throttle.recordFailure(alice);
    throttle.recordFailure(alice);
    time.advance(15 * MINUTE - 1);
    expect(refusal(() => throttle.assertAllowed(alice))?.headers['retry-after']).toBe('1');
    time.advance(1);
    expect(refusal(() => throttle.assertAllowed(alice))).toBeUndefined();
    // A fresh window: one new failure is not a lock.
    throttle.recordFailure(alice);
    expect(refusal(() => throttle.assertAllowed(alice))).toBeUndefined();
  });

  it('a success clears the account’s failures', () => {
    const throttle = new LoginThrottle(3, 15 * MINUTE, clock().now);
    throttle.recordFailure(alice);
    throttle.recordFailure(alice);
    throttle.recordSuccess(alice);
    throttle.recordFailure(alice);
    throttle.recordFailure(alice);
    expect(refusal(() => throttle.assertAllowed(alice))).toBeUndefined();
  });

  it('accounts are counted apart: one locked account does not lock another at the same address', () => {
    const throttle = new LoginThrottle(2, 15 * MINUTE, clock().now);
    throttle.recordFailure(alice);
    throttle.recordFailure(alice);
    const bob = { account: 'acme:bob@example.com', address: alice.address };
    expect(refusal(() => throttle.assertAllowed(alice))?.status).toBe(429);
    expect(refusal(() => throttle.assertAllowed(bob))).toBeUndefined();
    // The account stays locked from any other address.
    expect(refusal(() => throttle.assertAllowed({ ...alice, address: '203.0.113.9' }))?.status).toBe(429);
  });

  it(`locks an address after ${ADDRESS_FACTOR}× maxFailures failures across accounts`, () => {
    const throttle = new LoginThrottle(2, 15 * MINUTE, clock().now);
    const address = '192.0.2.10';
    const limit = 2 * ADDRESS_FACTOR;
    for (let i = 0; i < limit - 1; i++)
      throttle.recordFailure({ account: `acme:user${i}@example.com`, address });
    const colleague = { account: 'acme:carol@example.com', address };
    expect(refusal(() => throttle.assertAllowed(colleague))).toBeUndefined();
    throttle.recordFailure({ account: 'acme:last@example.com', address });
    expect(refusal(() => throttle.assertAllowed(colleague))).toMatchObject({
      status: 429,
      code: 'too_many_attempts',
    });
    expect(refusal(() => throttle.assertAllowed({ ...colleague, address: '192.0.2.11' }))).toBeUndefined();
  });

  it('signing in to one’s own account does not reset the address’s failures', () => {
    const throttle = new LoginThrottle(1, 15 * MINUTE, clock().now, 3);
    const address = '192.0.2.20';
    const mine = { account: 'acme:mallory@example.com', address };
    for (let i = 0; i < 3; i++) {
      throttle.recordFailure({ account: `acme:victim${i}@example.com`, address });
      throttle.recordSuccess(mine);
    }
    expect(
      refusal(() => throttle.assertAllowed({ account: 'acme:victim9@example.com', address }))?.status,
    ).toBe(429);
  });

  it('stays within its memory bound when every attempt names a new account, keeping the newest entries', () => {
    const throttle = new LoginThrottle(1, 15 * MINUTE, clock().now, 1_000_000, 100);
    for (let i = 0; i < 1_000; i++)
      throttle.recordFailure({ account: `acme:u${i}`, address: `10.0.${i >> 8}.${i & 255}` });
    const entries = (throttle as unknown as { failures: Map<string, unknown> }).failures;
    expect(entries.size).toBeLessThanOrEqual(100);
    expect(
      refusal(() => throttle.assertAllowed({ account: 'acme:u999', address: '10.0.99.99' }))?.status,
    ).toBe(429);
  });
});
