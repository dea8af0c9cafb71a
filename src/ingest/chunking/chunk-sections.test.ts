import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedSection } from '../parsers/parsed-document.js';
import { gridToTableAndSection } from '../parsers/structure/table-section.js';
import { resolveChunkOptions, type Chunk, type ChunkOptions } from './chunk.js';
import { chunkSections } from './chunk-sections.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Rebuilds a section's text from its chunks, dropping overlaps; gaps must be whitespace only. */
function rebuild(text: string, chunks: Chunk[]): string {
  let out = '';
  let cursor = 0;
  for (const chunk of chunks) {
    if (chunk.start > cursor) {
      const gap = text.slice(cursor, chunk.start);
      expect(gap.trim(), 'only whitespace may fall between chunks').toBe('');
      out += gap;
    }
    out += chunk.text.slice(Math.max(0, cursor - chunk.start));
    cursor = Math.max(cursor, chunk.end);
  }
  const tail = text.slice(cursor);
  expect(tail.trim(), 'only whitespace may follow the last chunk').toBe('');
  return out + tail;
}

function checkInvariants(sections: ParsedSection[], chunks: Chunk[], options: ChunkOptions) {
  const resolved = resolveChunkOptions(options);
  chunks.forEach((chunk, i) => {
    expect(chunk.ordinal).toBe(i);
    const section = sections[chunk.sectionIndex];
    expect(section).toBeDefined();
    expect(chunk.text).toBe(section?.text.slice(chunk.start, chunk.end));
    expect(chunk.text.length).toBeLessThanOrEqual(resolved.maxChars);
    expect(chunk.text.trim()).not.toBe('');
    const previous = chunks[i - 1];
    if (previous) {
      expect(chunk.sectionIndex).toBeGreaterThanOrEqual(previous.sectionIndex);
      if (previous.sectionIndex === chunk.sectionIndex) {
        expect(chunk.start).toBeGreaterThan(previous.start);
        expect(chunk.end).toBeGreaterThan(previous.end);
        expect(previous.end - chunk.start, 'overlap').toBeLessThanOrEqual(resolved.overlapChars);
      }
    }
  });
  sections.forEach((section, index) => {
    const own = chunks.filter((chunk) => chunk.sectionIndex === index);
    if (section.text.trim() !== '') expect(own.length).toBeGreaterThan(0);
    expect(rebuild(section.text, own)).toBe(section.text);
  });
}

const japanese = fc.constantFrom(
  '経費',
  '精算',
  'は',
  'を',
  '申請する',
  '株式会社蔵',
  '東京都',
  'データ',
  '①',
  '㈱',
  '髙橋',
  '𠮷野家',
  '😀',
);
const latin = fc.constantFrom('the', 'expense', 'report', 'Kura', 'API', 'v1.2', '3.14', 'e.g.');
const punctuation = fc.constantFrom(
  '。',
  '、',
  '！',
  '？',
  '，',
  '．',
  '.',
  ',',
  '!',
  '?',
  '」',
  '「',
  '（',
  '）',
);
const spacing = fc.constantFrom(' ', '\n', '\n\n', '　', '\t', '\n\n\n');
const token = fc.oneof(
  { weight: 5, arbitrary: japanese },
  { weight: 3, arbitrary: latin },
  { weight: 2, arbitrary: punctuation },
  { weight: 2, arbitrary: spacing },
);
const text = fc.array(token, { maxLength: 600 }).map((tokens) => tokens.join(''));
const anchor = fc.record(
  {
    page: fc.integer({ min: 1, max: 50 }),
    heading: fc.constantFrom('第1章', '第1章 > 1.2 経費'),
    slide: fc.integer({ min: 1, max: 9 }),
  },
  { requiredKeys: [] },
);
const sections = fc.array(fc.record({ text, anchor }), { maxLength: 6 });
const options = fc.record(
  {
    targetChars: fc.integer({ min: 1, max: 500 }),
    maxChars: fc.integer({ min: 2, max: 700 }),
    overlapChars: fc.integer({ min: 0, max: 120 }),
  },
  { requiredKeys: [] },
);

describe('chunkSections', () => {
  it('keeps short sections whole, one chunk each, with their own anchors', () => {
    const input: ParsedSection[] = [
      { text: '第1章 総則\n\nこの規程は経費精算について定める。', anchor: { heading: '第1章 総則' } },
      { text: '交通費は実費を支給する。', anchor: { page: 2 } },
    ];
    const chunks = chunkSections(input);
    expect(chunks.map((chunk) => [chunk.text, chunk.anchor, chunk.sectionIndex])).toEqual([
      [input[0]?.text, { heading: '第1章 総則' }, 0],
      [input[1]?.text, { page: 2 }, 1],
    ]);
  });

  it('splits at paragraph breaks before sentence ends, and at 。 before commas', () => {
    const paragraph = 'あ'.repeat(150) + '。';
    const text = `${paragraph}${paragraph}\n\n${paragraph}${paragraph}`;
    const chunks = chunkSections([{ text, anchor: {} }], {
      targetChars: 250,
      maxChars: 400,
      overlapChars: 0,
    });
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      `${paragraph}${paragraph}\n\n`,
      `${paragraph}${paragraph}`,
    ]);

    const sentences = `${'い'.repeat(100)}、${'う'.repeat(100)}。${'え'.repeat(100)}、${'お'.repeat(100)}`;
    const bySentence = chunkSections([{ text: sentences, anchor: {} }], {
      targetChars: 150,
      maxChars: 250,
      overlapChars: 0,
    });
    expect(bySentence[0]?.text.endsWith('。')).toBe(true);
  });

  it('treats . ! ? as sentence ends only before a space (3.14 stays whole)', () => {
    const text = 'Pi is 3.14159 and more. '.repeat(30);
    const chunks = chunkSections([{ text, anchor: {} }], {
      targetChars: 100,
      maxChars: 150,
      overlapChars: 0,
    });
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text.endsWith('more. ')).toBe(true);
  });

  it('falls back to a comma, then to a hard cut that never splits a surrogate pair', () => {
    const commas = `${'か'.repeat(90)}、${'き'.repeat(90)}、${'く'.repeat(90)}`;
    const byComma = chunkSections([{ text: commas, anchor: {} }], {
      targetChars: 100,
      maxChars: 120,
      overlapChars: 0,
    });
    expect(byComma[0]?.text).toBe(`${'か'.repeat(90)}、`);

    const emoji = '😀'.repeat(300);
    const hard = chunkSections([{ text: emoji, anchor: {} }], {
      targetChars: 101,
      maxChars: 151,
      overlapChars: 11,
    });
    for (const chunk of hard) {
      expect(chunk.text.length).toBeLessThanOrEqual(151);
      expect(LONE_SURROGATE.test(chunk.text)).toBe(false);
    }
  });

  it('repeats a small overlap inside a section, starting at a clean boundary, never across sections', () => {
    const text = Array.from({ length: 20 }, (_, i) => `これは${i + 1}番目の文です。`).join('');
    const chunks = chunkSections(
      [
        { text, anchor: { page: 1 } },
        { text, anchor: { page: 2 } },
      ],
      { targetChars: 80, maxChars: 120, overlapChars: 30 },
    );
    const pageOne = chunks.filter((chunk) => chunk.sectionIndex === 0);
    expect(pageOne.length).toBeGreaterThan(1);
    const second = pageOne[1];
    expect(second?.start).toBeLessThan(pageOne[0]?.end ?? 0);
    expect(second?.text.startsWith('これは')).toBe(true);
    const firstOfPageTwo = chunks.find((chunk) => chunk.sectionIndex === 1);
    expect(firstOfPageTwo?.start).toBe(0);
  });

  it('uses defaults of 400/600/50 characters', () => {
    const text = `${'日本語の文章です。'.repeat(200)}`;
    const chunks = chunkSections([{ text, anchor: {} }]);
    expect(Math.max(...chunks.map((chunk) => chunk.text.length))).toBeLessThanOrEqual(600);
    expect(chunks.length).toBeGreaterThan(3);
  });

  it('chunks a sheet by row groups, each with the A1 range of exactly its rows', () => {
    const cells = [
      ['日付', '商品', '金額'],
      ...Array.from({ length: 40 }, (_, i) => [
        `2025-01-${String(i + 1).padStart(2, '0')}`,
        `商品${i + 1}`,
        i * 100,
      ]),
    ];
    const { section } = gridToTableAndSection({
      name: '売上',
      sheet: '売上',
      firstRow: 1,
      firstColumn: 1,
      cells,
    });
    expect(section?.anchor).toEqual({ sheet: '売上', range: 'A2:C41' });
    const chunks = chunkSections(section ? [section] : [], { targetChars: 200, maxChars: 300 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[0]?.anchor.range).toMatch(/^A2:C\d+$/);
    let nextRow = 2;
    for (const chunk of chunks) {
      const [, from, to] = /^A(\d+):C(\d+)$/.exec(chunk.anchor.range ?? '') ?? [];
      expect(Number(from)).toBe(nextRow);
      expect(chunk.text.trimEnd().split('\n')).toHaveLength(Number(to) - Number(from) + 1);
      expect(chunk.anchor.sheet).toBe('売上');
      nextRow = Number(to) + 1;
    }
    expect(nextRow).toBe(42);
  });

  it('property: nothing lost or duplicated beyond the overlap, every chunk ≤ maxChars, anchors monotonic, one section per chunk', () => {
    fc.assert(
      fc.property(sections, options, (input, opts) => {
        const chunks = chunkSections(input, opts);
        checkInvariants(input, chunks, opts);
        for (const chunk of chunks) expect(chunk.anchor).toEqual(input[chunk.sectionIndex]?.anchor);
        for (const chunk of chunks) expect(LONE_SURROGATE.test(chunk.text)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('property: table sections split only between rows (unless a row is too long), ranges cover every row once', () => {
    const cell = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.constantFrom('りんご', 'みかん', '東京都千代田区', 'x'.repeat(80)),
    );
    const grid = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 40 });
    fc.assert(
      fc.property(grid, options, (cells, opts) => {
        const { section } = gridToTableAndSection({
          name: 's',
          sheet: 's',
          firstRow: 3,
          firstColumn: 2,
          cells,
        });
        if (!section) return;
        const chunks = chunkSections([section], opts);
        checkInvariants([section], chunks, opts);
        const rows = new Set<number>();
        for (const chunk of chunks) {
          const [, from, to] = /^[A-Z]+(\d+):[A-Z]+(\d+)$/.exec(chunk.anchor.range ?? '') ?? [];
          for (let row = Number(from); row <= Number(to); row++) rows.add(row);
        }
        const lines = section.text.split('\n');
        lines.forEach((line, i) => {
          if (line.trim() !== '') expect(rows.has(4 + i)).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });
});
