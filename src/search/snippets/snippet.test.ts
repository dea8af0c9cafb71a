import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../analysis/create-analyzer.js';
import { buildSnippet, matchSpans, normalizeWithOffsets, sentences } from './snippet.js';

const analyzer = await createAnalyzer();
const snippet = (text: string, query: string, maxChars?: number) =>
  buildSnippet(text, analyzer.analyze(text), new Set(analyzer.analyze(query)), maxChars ? { maxChars } : {});
const marked = (s: { text: string; highlights: { start: number; end: number }[] }) =>
  s.highlights.map((h) => s.text.slice(h.start, h.end));

describe('snippets', () => {
  it('maps normalised characters back to the original text, width and case folded', () => {
    const n = normalizeWithOffsets('ＡＢＣ株式会社ｶﾞｲﾄﾞ、Tokyo！');
    expect(n.text).toBe('abc株式会社ガイド tokyo ');
    // ｶﾞ (two half-width characters) became one ガ that points at both.
    const ga = n.text.indexOf('ガ');
    expect([n.from[ga], n.to[ga]]).toEqual([7, 9]);
  });

  it('splits sentences at 。！？ and line breaks, keeping closing brackets with their sentence', () => {
    const text = '第一文です。「第二文！」第三文？\n第四文';
    expect(sentences(text).map((s) => text.slice(s.start, s.end))).toEqual([
      '第一文です。',
      '「第二文！」',
      '第三文？\n',
      '第四文',
    ]);
  });

  it('picks the sentence with the most query terms and highlights them in the original text', () => {
    const text =
      '会社の概要を説明する。経費は発生日から30日以内に申請しなければならない。出張旅費の規程は別に定める。';
    const s = snippet(text, '経費の申請期限', 30);
    expect(s.text).toContain('経費は発生日から30日以内に申請');
    expect(marked(s)).toEqual(expect.arrayContaining(['経費', '申請']));
  });

  it('highlights full-width and upper-case words of the document for a half-width, lower-case query', () => {
    const s = snippet('本社はＴＯＫＹＯにあり、売上はRevenuesと呼ぶ。', 'tokyo revenue');
    expect(marked(s)).toEqual(['ＴＯＫＹＯ', 'Revenues']);
  });

  it('cuts a long sentence around its first match and marks the cuts', () => {
    const long = `${'あ'.repeat(200)}、重要な決定事項がここにある、${'い'.repeat(200)}`;
    const s = snippet(long, '決定事項', 60);
    expect(s.text.length).toBeLessThanOrEqual(62);
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(marked(s)).toContain('決定事項');
  });

  it('returns markup from a document as text, never as HTML, with offsets that still point at the terms', () => {
    const s = snippet('<script>alert(1)</script> の経費規程。', '経費');
    expect(s.text).toContain('<script>alert(1)</script>');
    expect(marked(s)).toEqual(['経費']);
  });

  it('never splits a surrogate pair and keeps emoji intact', () => {
    const text = `${'😀'.repeat(100)}経費${'😀'.repeat(100)}`;
    const s = snippet(text, '経費', 40);
    expect(s.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(marked(s)).toEqual(['経費']);
  });

  it('skips tokens it cannot place instead of guessing (inflected verbs, synonyms)', () => {
    const text = '報告書を書いた。';
    expect(matchSpans(text, ['報告', '書', '書く'], new Set(['書く']))).toEqual([]);
  });

  it('collapses whitespace and returns an empty snippet for an empty chunk', () => {
    expect(snippet('経費  は\n\n 申請', '申請').text).toBe('経費 は 申請');
    expect(buildSnippet('', [], new Set(['x']))).toEqual({ text: '', highlights: [] });
  });
});
