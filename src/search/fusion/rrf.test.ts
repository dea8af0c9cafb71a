import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, RRF_K } from './rrf.js';

const id = (s: string) => s;
const rankedList = fc.uniqueArray(fc.constantFrom(...'abcdefghijklmnop'.split('')), { maxLength: 12 });

describe('reciprocal-rank fusion', () => {
  it('scores Σ 1/(k + rank) over the lists that hold an item', () => {
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['c', 'a'],
      ],
      id,
    );
    const score = Object.fromEntries(fused.map((f) => [f.key, f.score]));
    expect(score.a).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(score.b).toBeCloseTo(1 / 62, 12);
    expect(score.c).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused.map((f) => f.key)).toEqual(['a', 'c', 'b']);
    expect(fused.find((f) => f.key === 'b')?.ranks).toEqual([2, null]);
  });

  it('a single list keeps its order; an empty input fuses to nothing', () => {
    expect(reciprocalRankFusion([['x', 'y', 'z']], id).map((f) => f.key)).toEqual(['x', 'y', 'z']);
    expect(reciprocalRankFusion([], id)).toEqual([]);
    expect(reciprocalRankFusion([[], []], id)).toEqual([]);
  });

  it('an item both lists rank first beats everything (property)', () => {
    fc.assert(
      fc.property(rankedList, rankedList, (one, two) => {
        const a = ['top', ...one];
        const b = ['top', ...two];
        expect(reciprocalRankFusion([a, b], id)[0]?.key).toBe('top');
      }),
    );
  });

  it('is independent of the order of the lists, holds every item once, best first (property)', () => {
    fc.assert(
      fc.property(rankedList, rankedList, rankedList, (x, y, z) => {
        const one = reciprocalRankFusion([x, y, z], id);
        const other = reciprocalRankFusion([z, x, y], id);
        expect(one.map((f) => f.key)).toEqual(other.map((f) => f.key));
        expect(new Set(one.map((f) => f.key))).toEqual(new Set([...x, ...y, ...z]));
        for (let i = 1; i < one.length; i++) expect(one[i - 1]!.score).toBeGreaterThanOrEqual(one[i]!.score);
        for (const f of one) {
          const expected = [x, y, z].reduce(
            (s, l) => (l.includes(f.key) ? s + 1 / (RRF_K + l.indexOf(f.key) + 1) : s),
            0,
          );
          expect(f.score).toBeCloseTo(expected, 12);
        }
      }),
    );
  });

  it('moving an item up in one list never lowers its fused rank (property)', () => {
    fc.assert(
      fc.property(
        rankedList.filter((l) => l.length >= 2),
        rankedList,
        fc.nat(),
        (x, y, pick) => {
          const i = 1 + (pick % (x.length - 1));
          const item = x[i]!;
          const up = [...x];
          [up[i - 1], up[i]] = [up[i]!, up[i - 1]!];
          const before = reciprocalRankFusion([x, y], id).findIndex((f) => f.key === item);
          const after = reciprocalRankFusion([up, y], id).findIndex((f) => f.key === item);
          expect(after).toBeLessThanOrEqual(before);
        },
      ),
    );
  });

  it('counts a key repeated within one list once, and refuses a bad k', () => {
    const [only] = reciprocalRankFusion([['a', 'a', 'a']], id);
    expect(only?.score).toBeCloseTo(1 / 61, 12);
    expect(() => reciprocalRankFusion([['a']], id, -1)).toThrow(RangeError);
    expect(() => reciprocalRankFusion([['a']], id, Number.NaN)).toThrow(RangeError);
  });
});
