import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPassage, segments } from '../../web/src/documents/find-passage.js';

const collapse = (text: string) => text.replace(/\s+/g, ' ');

const chunks = [
  { ordinal: 0, text: '出張旅費規程', anchor: { heading: '出張旅費規程' } },
  {
    ordinal: 1,
    text: '第2章 日当\n\n海外出張の日当は一日八千円とし、\n渡航先の物価に応じて調整する。',
    anchor: { page: 2 },
  },
  { ordinal: 2, text: '国内出張の日当は支給しない。', anchor: { page: 3 } },
];

describe('the viewer finds the passage a search result or citation names', () => {
  it('finds a snippet (whitespace collapsed, "…" at its cuts) in its chunk and marks its terms', () => {
    const found = findPassage(chunks, {
      quote: '…海外出張の日当は一日八千円とし、 渡航先の物価…',
      terms: ['日当'],
    });
    expect(found?.ordinal).toBe(1);
    const text = chunks[1]!.text;
    expect(collapse(text.slice(found!.range!.start, found!.range!.end))).toBe(
      '海外出張の日当は一日八千円とし、 渡航先の物価',
    );
    expect(found!.terms.map((r) => text.slice(r.start, r.end))).toEqual(['日当']);
  });

  it('prefers the chunk at the anchor when the words appear twice, and falls back to the anchor or ordinal', () => {
    expect(findPassage(chunks, { quote: '日当', anchor: { page: 3 } })?.ordinal).toBe(2);
    expect(findPassage(chunks, { quote: 'no such words', anchor: { page: 3 } })).toMatchObject({
      ordinal: 2,
      range: null,
    });
    expect(findPassage(chunks, { ordinal: 0 })).toMatchObject({ ordinal: 0, range: null });
    expect(findPassage(chunks, { quote: 'no such words' })).toBeNull();
  });

  it('finds any piece of any chunk, and its segments give back the text unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', 'b', ' ', '\n', '日', '当', '。'),
          minLength: 1,
          maxLength: 60,
        }),
        fc.nat(),
        fc.nat(),
        (text, x, y) => {
          const start = x % text.length;
          const end = start + 1 + (y % (text.length - start));
          const piece = collapse(text.slice(start, end)).trim();
          fc.pre(piece.length > 0);
          const found = findPassage([{ ordinal: 7, text, anchor: {} }], { quote: piece, terms: ['日'] });
          expect(found?.ordinal).toBe(7);
          expect(collapse(text.slice(found!.range!.start, found!.range!.end))).toBe(piece);
          const parts = segments(text, found!.range, found!.terms);
          expect(parts.map((p) => p.text).join('')).toBe(text);
          expect(
            parts
              .filter((p) => p.passage)
              .map((p) => p.text)
              .join(''),
          ).toBe(text.slice(found!.range!.start, found!.range!.end));
        },
      ),
      { numRuns: 300 },
    );
  });
});
