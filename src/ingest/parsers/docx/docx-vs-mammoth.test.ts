import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import mammoth from 'mammoth';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../../../bench/ingest-corpus.js';
import { EXPENSE_RULES, makeDocx } from '../../../../test/fixtures/index.js';
import {
  makeRichDocx,
  type HeadingStyle,
  type RichBlock,
  type RichRun,
} from '../../../../test/fixtures/make-rich-docx.js';
import { parseDocx } from '../formats/docx.js';
import type { ParsedSection } from '../parsed-document.js';
import { resolveParseLimits } from '../parse-limits.js';
import { htmlToSections } from '../structure/html-sections.js';
import { loadHtml } from '../structure/load-html.js';
import { normalizeText } from '../text/normalize-text.js';

/**
 * Kura's DOCX reader against what it replaced (mammoth → HTML → the same section walker), on every
 * kind of DOCX the tests and benchmarks generate and on random documents: the same sections, the
 * same heading anchors. mammoth stays a dev dependency for this comparison only.
 */
const STYLE_MAP = [
  ...[1, 2, 3, 4, 5, 6].map((level) => `p[style-name='見出し ${level}'] => h${level}:fresh`),
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='表題'] => h1:fresh",
];

async function viaMammoth(bytes: Buffer): Promise<ParsedSection[]> {
  const result = await mammoth.convertToHtml(
    { buffer: bytes },
    {
      styleMap: STYLE_MAP,
      externalFileAccess: false,
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
    },
  );
  return htmlToSections(loadHtml(normalizeText(result.value)).root().children().toArray());
}

async function viaKura(bytes: Buffer): Promise<ParsedSection[]> {
  const context = { limits: resolveParseLimits(), signal: new AbortController().signal, depth: 0 };
  return (await parseDocx(bytes, context)).sections;
}

/**
 * What a reader could tell apart is compared; two things are not: mammoth's "↑" links from each
 * note back to its reference (navigation, not text), and the number of spaces where two runs meet
 * (mammoth keeps both runs' edge spaces when a formatting tag separates them).
 */
function normalised(sections: ParsedSection[]): ParsedSection[] {
  return sections
    .map((section) => ({
      anchor: section.anchor,
      text: section.text
        .replace(/[ \t]+/g, ' ')
        .replace(/ ?↑$/gm, '')
        .split('\n')
        .map((line) => line.trim())
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim(),
    }))
    .filter((section) => section.text !== '');
}

async function expectSame(bytes: Buffer): Promise<void> {
  expect(normalised(await viaKura(bytes))).toEqual(normalised(await viaMammoth(bytes)));
}

describe('DOCX: Kura reader and mammoth give the same sections and anchors', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'kura-docx-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('on the test fixtures (makeDocx: title, chapters, subsections, tables)', async () => {
    await expectSame(await makeDocx());
    await expectSame(
      await makeDocx({
        ...EXPENSE_RULES,
        table: [
          ['プラン', '月額'],
          ['標準', '1,000円'],
          ['', ''],
        ],
      }),
    );
    await expectSame(
      await makeDocx({
        title: '慶弔見舞金規程 & <付則>',
        chapters: [
          { heading: '第1章 総則', paragraphs: ['この規程は、"見舞金" について定める。'] },
          {
            heading: '第2章 祝金',
            paragraphs: ['結婚祝金は三万円とする。', "子の出産祝金は一万円 'とする'。"],
          },
        ],
      }),
    );
    expect((await viaKura(await makeDocx())).map((section) => section.anchor.heading)).toContain(
      '第3章 精算 > 3.2 経費',
    );
  });

  it('on the ingest benchmark corpus (bench/ingest-corpus.ts, JSQuAD paragraphs)', async () => {
    await writeCorpus(folder, 3, 20);
    const files = readdirSync(folder).filter((name) => name.endsWith('.docx'));
    expect(files).toHaveLength(3);
    for (const file of files) await expectSame(readFileSync(path.join(folder, file)));
  });

  it('on a document with every feature the generator writes', async () => {
    const bytes = await makeRichDocx([
      { kind: 'heading', style: 'hyoudai', level: 1, text: '情報セキュリティ規程' },
      { kind: 'heading', style: 'midashi', level: 1, text: '第1章 総則' },
      {
        kind: 'paragraph',
        runs: [
          { kind: 'text', text: '本規程は' },
          { kind: 'deleted', text: '削除された文' },
          { kind: 'inserted', text: '挿入された文' },
          { kind: 'footnote', text: '注記の本文' },
          { kind: 'tab' },
          { kind: 'link', text: 'リンク' },
          { kind: 'break' },
          { kind: 'text', text: 'A & B <C>', bold: true },
        ],
      },
      { kind: 'bullet', level: 0, runs: [{ kind: 'text', text: '項目1' }] },
      { kind: 'bullet', level: 1, runs: [{ kind: 'text', text: '項目1-1' }] },
      { kind: 'numbered', level: 0, runs: [{ kind: 'text', text: '手順1' }] },
      { kind: 'numbered', level: 0, runs: [{ kind: 'text', text: '手順2' }] },
      {
        kind: 'table',
        rows: [
          [['区分'], ['金額']],
          [['交通費', '実費'], []],
          [['宿泊'], ['1万円']],
        ],
        mergeDown: true,
      },
    ]);
    await expectSame(bytes);
    const sections = await viaKura(bytes);
    const text = sections.map((section) => section.text).join('\n');
    expect(text).toContain('挿入された文');
    expect(text).not.toContain('削除された文');
    expect(text).toContain('注記の本文');
    expect(sections.at(-1)?.anchor.heading).toBe('第1章 総則');
  });

  it('on random documents: headings, paragraphs, lists and tables of Japanese, ASCII and entities', async () => {
    const word = fc.stringMatching(/^[ぁ-んァ-ン一-龠ａ-ｚa-zA-Z0-9&<>"' 。、]{1,12}$/);
    const run: fc.Arbitrary<RichRun> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({ kind: fc.constant('text' as const), text: word, bold: fc.boolean() }),
      },
      fc.record({
        kind: fc.constantFrom('deleted' as const, 'inserted' as const, 'link' as const, 'footnote' as const),
        text: word,
      }),
      fc.record({ kind: fc.constantFrom('break' as const, 'tab' as const) }),
    );
    const runs = fc.array(run, { minLength: 1, maxLength: 5 });
    const block: fc.Arbitrary<RichBlock> = fc.oneof(
      fc.record({
        kind: fc.constant('heading' as const),
        style: fc.constantFrom<HeadingStyle>('title', 'heading', 'midashi', 'hyoudai'),
        level: fc.integer({ min: 1, max: 6 }),
        text: word,
      }),
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('paragraph' as const), runs }) },
      fc.record({
        kind: fc.constantFrom('bullet' as const, 'numbered' as const),
        level: fc.integer({ min: 0, max: 5 }),
        runs,
      }),
      fc.record({
        kind: fc.constant('table' as const),
        rows: fc.array(fc.array(fc.array(word, { maxLength: 2 }), { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 3,
        }),
        mergeDown: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(block, { maxLength: 12 }), async (blocks) => {
        await expectSame(await makeRichDocx(blocks));
      }),
      { numRuns: 60 },
    );
  });
});
