import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteBudget } from './byte-budget.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A request made now, and whether it has been granted yet. */
function request(budget: ByteBudget, bytes: number) {
  let granted = false;
  const release = budget.acquire(bytes).then((give) => {
    granted = true;
    return give;
  });
  return { granted: () => granted, release };
}

describe('ByteBudget', () => {
  it.each([
    { case: 'a request that does not fit waits until bytes are given back', held: 60, asked: 50 },
    { case: 'a file larger than the whole budget goes, alone', held: 10, asked: 500 },
  ])('$case', async ({ held, asked }) => {
    const budget = new ByteBudget(100);
    const first = await budget.acquire(held);
    const second = request(budget, asked);
    await tick();
    expect(second.granted()).toBe(false);
    expect(budget.inUse).toBe(held);
    first();
    first(); // a second release gives nothing back twice
    const release = await second.release;
    expect(budget.inUse).toBe(asked);
    release();
    expect(budget.inUse).toBe(0);
  });

  it('serves in the order asked: a small request does not overtake a large one waiting', async () => {
    const budget = new ByteBudget(100);
    const held = await budget.acquire(70);
    const order: string[] = [];
    const large = budget.acquire(80).then((release) => (order.push('large'), release));
    const small = budget.acquire(10).then((release) => (order.push('small'), release));
    await tick();
    expect(order).toEqual([]);
    held();
    (await large)();
    (await small)();
    expect(order).toEqual(['large', 'small']);
  });

  it('refuses a limit that is not a positive whole number of bytes', () => {
    expect(() => new ByteBudget(0)).toThrow(RangeError);
    expect(() => new ByteBudget(Number.NaN)).toThrow(RangeError);
  });

  it('never holds more than the limit unless one holder alone is larger, and grants every request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000 }),
        fc.array(fc.record({ bytes: fc.integer({ min: 0, max: 1_500 }), ticks: fc.nat(3) }), {
          maxLength: 40,
        }),
        async (limit, requests) => {
          const budget = new ByteBudget(limit);
          let holders = 0;
          let granted = 0;
          const violations: string[] = [];
          await Promise.all(
            requests.map(async ({ bytes, ticks }) => {
              const release = await budget.acquire(bytes);
              if (bytes > 0) holders++;
              granted++;
              if (budget.inUse > limit && holders > 1)
                violations.push(`${budget.inUse} bytes held by ${holders} over ${limit}`);
              for (let i = 0; i < ticks; i++) await tick();
              if (bytes > 0) holders--;
              release();
            }),
          );
          expect(violations).toEqual([]);
          expect(granted).toBe(requests.length);
          expect(budget.inUse).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
