import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { makePdf } from '../../../../test/fixtures/index.js';
import { keptLinesText, pdfJsPrintedLines } from '../formats/pdf.js';
import type { PrintedLine } from './printed-lines.js';
import { extractPdfText } from './extract-pdf-text.js';
import { wrappedLines } from './wrapped-lines.js';

const SIZE = 11;
/** A printed line; its baseline unknown (NaN) unless a test is about the steps between lines. */
const line = (left: number, right: number, text = '本文', baseline = Number.NaN): PrintedLine => ({
  text,
  extent: { left, right, baseline, size: SIZE },
});

describe('wrappedLines: which printed lines run on into the next', () => {
  it('a paragraph’s full lines; not its heading, nor its last line', () => {
    expect(wrappedLines([line(50, 120), line(50, 534), line(50, 534), line(50, 300), line(50, 533)])).toEqual(
      [false, true, true, false, true],
    );
  });

  it('counts a line ending within a character and a half of the edge (kinsoku, justification) as full', () => {
    expect(wrappedLines([line(50, 534), line(50, 518), line(50, 515)])).toEqual([true, true, false]);
  });

  it('measures each column by the lines starting where it starts', () => {
    const left = [line(50, 280), line(50, 280), line(50, 150)];
    const right = [line(310, 540), line(310, 540), line(310, 400)];
    expect(wrappedLines([...left, ...right])).toEqual([true, true, false, true, true, false]);
  });

  it('a line alone at its start runs on only if it reaches the page’s edge (an indented first line, not a centred title)', () => {
    expect(wrappedLines([line(200, 390), line(61, 534), line(50, 534), line(50, 534)])).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });

  it('ends a paragraph at a wider step down than the page’s line pitch, though its last line is full', () => {
    const pitch = SIZE + 1.5;
    const at = (baseline: number) => line(50, 534, '本文', baseline);
    const lines = [at(790), at(790 - pitch), at(790 - 2 * pitch), at(790 - 4 * pitch), at(790 - 5 * pitch)];
    expect(wrappedLines(lines)).toEqual([true, true, false, true, true]);
    // The next column starts higher up the page: the text runs on into it.
    const right = (baseline: number) => line(310, 540, '本文', baseline);
    expect(wrappedLines([at(100), at(100 - pitch), right(790), right(790 - pitch)])).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('ends a paragraph before the next one’s first line: set in by a character (字下げ), or an ideographic space first', () => {
    expect(wrappedLines([line(50, 534), line(61, 534), line(50, 534), line(50, 300)])).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(wrappedLines([line(50, 534), line(50, 534, '\u3000次の段落'), line(50, 300)])).toEqual([
      false,
      true,
      false,
    ]);
  });

  it('runs a list item on into its hanging lines, and ends it before the next item', () => {
    const lines = [
      line(50, 534, '・経費の申請'),
      line(61, 534, '申請の続き'),
      line(50, 534, '・次の項目'),
      line(61, 300, '続き'),
      line(50, 534, '1．番号付きの項目'),
      line(61, 534, '項目の続き'),
      line(50, 534, '（2）次の番号'),
      line(61, 300, '続き'),
    ];
    expect(wrappedLines(lines)).toEqual([true, false, true, false, true, false, true, false]);
  });

  it('treats lines whose extent is unknown (rotated text) as wrapped, as before', () => {
    const unknown: PrintedLine = { text: '縦書き', extent: undefined };
    expect(wrappedLines([unknown, line(50, 120), line(50, 534)])).toEqual([true, false, true]);
    expect(wrappedLines([unknown, { text: '', extent: undefined }])).toEqual([true, true]);
  });

  it('measures the printed lines of a real PDF (makePdf: 44 full-width characters of 11 pt from x = 50)', async () => {
    const paragraph = '経費の精算は発生した月の翌月十日までに申請する。'.repeat(3);
    const { lines } = extractPdfText(await makePdf([['第1章　総則', paragraph]]));
    const [page] = lines;
    expect(page!.map((l) => l.text)).toEqual(['第1章 総則', paragraph.slice(0, 44), paragraph.slice(44)]);
    expect(page!.map((l) => Math.round(l.extent!.left))).toEqual([50, 50, 50]);
    expect(Math.round(page![1]!.extent!.right)).toBe(50 + 44 * SIZE);
    expect(page![0]!.extent!.right).toBeLessThan(150);
    expect(page![1]!.extent!.size).toBeCloseTo(SIZE);
    expect(wrappedLines(page!)).toEqual([false, true, false]);
  });

  it('keeps a real PDF’s paragraphs apart where the next one is set in, though the last line before it is full', async () => {
    // Two full lines of 44 characters; the next paragraph starts with an ideographic space.
    const full = '経費の精算は発生した月の翌月十日までに申請する。領収書は原本を添付する。'
      .repeat(2)
      .slice(0, 44);
    const bytes = await makePdf([
      [full + full, '\u3000次の段落は字下げで始まる。', '・申請の期限', '・承認の手順'],
    ]);
    const [page] = extractPdfText(bytes).lines;
    expect(page!.map((l) => Math.round(l.extent!.left))).toEqual([50, 50, 61, 50, 50]);
    expect(keptLinesText(page!)).toBe(
      `${full}${full}\n次の段落は字下げで始まる。\n・申請の期限\n・承認の手順`,
    );
  });

  it('pdf.js measures the same lines, so a PDF the fast path declines keeps the same text', async () => {
    const paragraph = '経費の精算は発生した月の翌月10日までに申請する。Kura で検索できる。'.repeat(3);
    const bytes = await makePdf([['第1章　総則', paragraph, 'お問い合わせ：ソラペイ', 'カスタマーセンター']]);
    const fast = extractPdfText(bytes).lines;
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false });
    const viaPdfJs = await pdfJsPrintedLines(pdf).finally(() => pdf.destroy());
    expect(viaPdfJs.map((page) => page.map((l) => l.text))).toEqual(
      fast.map((page) => page.map((l) => l.text)),
    );
    viaPdfJs[0]!.forEach((l, i) => {
      const own = fast[0]![i]!.extent;
      if (own === undefined) return expect(l.extent).toBeUndefined();
      expect(l.extent!.left).toBeCloseTo(own.left, 2);
      expect(l.extent!.right).toBeCloseTo(own.right, 2);
      expect(l.extent!.size).toBeCloseTo(own.size, 2);
    });
    expect(viaPdfJs.map(keptLinesText)).toEqual(fast.map(keptLinesText));
    expect(keptLinesText(fast[0]!)).toContain('第1章 総則\n経費');
    expect(keptLinesText(fast[0]!)).toContain('ソラペイ\nカスタマーセンター');
  });
});
