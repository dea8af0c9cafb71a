import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../search/search-service.js';
import { assembleContext, withoutOverlap } from './context-assembly.js';
import { estimateTokens, selectContext } from './context-budget.js';
import { sourceElements } from './grounded-prompt.js';

const passage = (
  documentId: string,
  ordinal: number,
  text = `${documentId}${ordinal} `.repeat(20),
): Passage => ({
  documentId,
  ordinal,
  title: documentId,
  uri: `upload://${documentId}`,
  anchor: { heading: `${documentId}-${ordinal}` },
  text,
  score: 1,
  bm25: 1,
});
const key = (p: Passage) => `${p.documentId}${p.ordinal}`;

/** Number → text of every <source n="k"> and <part n="k"> of a prompt. */
function numbered(prompt: string): Map<number, string> {
  const found = new Map<number, string>();
  for (const m of prompt.matchAll(/<(source|part) n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/\1>/g))
    found.set(Number(m[2]), m[3]!);
  return found;
}

describe('context assembly: neighbouring chunks merged', () => {
  it('merges adjacent chunks of one document into one passage, placed where its best chunk ranked', () => {
    const ranked = [passage('a', 4), passage('b', 0), passage('a', 3), passage('a', 7), passage('a', 5)];
    const { blocks, passages } = assembleContext(ranked, 10_000);
    expect(blocks.map((b) => [b.first, b.parts.map(key)])).toEqual([
      [1, ['a3', 'a4', 'a5']],
      [4, ['b0']],
      [5, ['a7']],
    ]);
    expect(passages.map(key)).toEqual(['a3', 'a4', 'a5', 'b0', 'a7']);
    const prompt = sourceElements(blocks);
    expect(prompt.match(/<source /g)).toHaveLength(3);
    expect(prompt).toContain('<source n="1-3" title="a">\n<part n="1">');
    // Each number still names its own chunk: a citation of [2] resolves to a4 and its anchor.
    expect(numbered(prompt).get(2)).toBe(passages[1]!.text);
    expect(passages[1]!.anchor).toEqual({ heading: 'a-4' });
  });

  it("reads the chunker's overlap once in a merged passage", () => {
    const first = passage('d', 0, '第1条 経費は発生日から30日以内に申請しなければならない。');
    const second = passage(
      'd',
      1,
      '30日以内に申請しなければならない。期限を過ぎた申請は部長の承認を要する。',
    );
    expect(withoutOverlap(first.text, second.text)).toBe('期限を過ぎた申請は部長の承認を要する。');
    expect(withoutOverlap('abc', 'xyz')).toBe('xyz');
    const prompt = sourceElements(assembleContext([first, second]).blocks);
    expect(prompt.match(/30日以内に申請/g)).toHaveLength(1);
  });

  it('stays within the budget, keeps exactly the chunks the budget chose, numbers them 1..n in prompt order (property)', () => {
    const arbitraryPassages = fc
      .uniqueArray(
        fc.record({
          documentId: fc.constantFrom('a', 'b', 'c'),
          ordinal: fc.integer({ min: 0, max: 8 }),
          length: fc.integer({ min: 1, max: 400 }),
        }),
        { selector: (p) => `${p.documentId}${p.ordinal}`, maxLength: 20 },
      )
      .map((list) =>
        list.map((p) =>
          passage(p.documentId, p.ordinal, `${p.documentId}${p.ordinal}:${'語'.repeat(p.length)}`),
        ),
      );
    fc.assert(
      fc.property(arbitraryPassages, fc.integer({ min: 50, max: 3_000 }), (ranked, budget) => {
        const { blocks, passages } = assembleContext(ranked, budget);
        expect(passages.map(key).sort()).toEqual(selectContext(ranked, budget).map(key).sort());
        const cost = blocks.reduce(
          (sum, b) => sum + 20 + b.parts.reduce((s, p) => s + estimateTokens(p.text), 0),
          0,
        );
        expect(cost).toBeLessThanOrEqual(budget);
        const prompt = numbered(sourceElements(blocks));
        expect([...prompt.keys()]).toEqual(passages.map((_, i) => i + 1));
        for (const [n, text] of prompt) expect(passages[n - 1]!.text.endsWith(text)).toBe(true);
        for (const b of blocks)
          b.parts.forEach((p, i) => {
            expect(p.documentId).toBe(b.parts[0]!.documentId);
            expect(p.ordinal).toBe(b.parts[0]!.ordinal + i);
          });
      }),
    );
  });
});
