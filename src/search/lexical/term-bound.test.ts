import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BM25 } from './lexical-index.js';
import { termBound } from './portable-index.js';

const { k1, b } = BM25;
const contribution = (idf: number, tf: number, dl: number, avgdl: number) =>
  (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * dl) / avgdl));

describe('termBound (MaxScore pruning of the portable BM25)', () => {
  it('is never below what the term adds to any chunk with tf ≤ max tf and length ≥ min length', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 20, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 49 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        (idf, maxTf, minDl, tfBelow, dlAbove, avgdl) => {
          const tf = Math.max(1, maxTf - tfBelow);
          const dl = Math.max(tf, minDl + dlAbove);
          const bound = termBound(idf, maxTf, minDl, avgdl);
          expect(bound).toBeGreaterThanOrEqual(contribution(idf, tf, dl, avgdl) * (1 - 1e-12));
          // ... and never looser than the bound without statistics.
          expect(bound).toBeLessThanOrEqual(idf * (k1 + 1));
        },
      ),
    );
  });

  it('is reached by the chunk with the largest tf and the shortest length', () => {
    expect(termBound(2, 3, 10, 100)).toBeCloseTo(contribution(2, 3, 10, 100), 12);
  });

  it('falls back to idf·(k1+1) for terms written before the bounds were kept', () => {
    expect(termBound(2, null, null, 100)).toBe(2 * (k1 + 1));
    expect(termBound(2, 1, null, 100)).toBe(2 * (k1 + 1));
  });
});
