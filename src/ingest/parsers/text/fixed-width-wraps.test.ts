import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinFixedWidthWraps, wrapWidth } from './fixed-width-wraps.js';

const PARAGRAPH =
  'お客様から受け付けた苦情は、記録をして速やかに回答する。担当者は記録の写しを保管して、顧客満足度の調査に役立てる。調査の結果は毎年四月に取締役会へ報告し、改善の計画を立てる。';
/** Wrapped as a mail program does: every line but the last `n` characters. */
const wrap = (text: string, n: number) =>
  text.replace(new RegExp(`.{${n}}`, 'gu'), (line) => `${line}\n`).trimEnd();

describe('text wrapped at a fixed width', () => {
  it('joins the lines of a wrapped Japanese paragraph, and keeps its paragraphs apart', () => {
    const text = `${wrap(PARAGRAPH, 22)}\n\n${wrap(PARAGRAPH, 22)}`;
    expect(text).toContain('顧\n客');
    expect(joinFixedWidthWraps(text)).toBe(`${PARAGRAPH}\n\n${PARAGRAPH}`);
  });

  it('keeps a list, a table, a heading and an indented paragraph start apart inside wrapped text', () => {
    const after = ['　次の段落は字下げで始まる。', '・東京本社', '・大阪支社', '東京 | 100', '大阪 | 200'];
    const text = ['第1条（目的）', wrap(PARAGRAPH, 22), ...after].join('\n');
    expect(joinFixedWidthWraps(text)).toBe(['第1条（目的）', PARAGRAPH, ...after].join('\n'));
  });

  it('keeps the rows of a table set in fixed-width columns apart, though they are all full', () => {
    const row = (city: string, n: string) => `${city}支店の売上高\u3000前年同期比${n}の増加となりました合計`;
    const table = [row('東京', '一割'), row('大阪', '二割'), row('福岡', '三割'), row('札幌', '四割')].join(
      '\n',
    );
    expect(wrapWidth(table.split('\n').map((l) => l.length * 2))).not.toBe(null);
    expect(joinFixedWidthWraps(table)).toBe(table);
  });

  it('leaves text alone when its lines have no one width (a paragraph a line, or short lines)', () => {
    const unwrapped = `${PARAGRAPH}\n${PARAGRAPH.slice(0, 40)}\n${PARAGRAPH.slice(10, 70)}\n${PARAGRAPH.slice(5, 30)}`;
    expect(joinFixedWidthWraps(unwrapped)).toBe(unwrapped);
    const list = '東京\n大阪\n名古屋\n福岡';
    expect(joinFixedWidthWraps(list)).toBe(list);
    expect(wrapWidth([80, 80, 79])).toBe(80);
    expect(wrapWidth([80, 80, 30, 20])).toBe(null);
    expect(wrapWidth([120, 60, 90, 150, 44])).toBe(null);
  });

  it('joins a quoted paragraph of a reply, its marks once in front; depths and quoted lists stay apart', () => {
    const quoted = (marks: string, text: string) =>
      wrap(text, 22)
        .split('\n')
        .map((line) => `${marks}${line}`)
        .join('\n');
    const reply = wrap(
      'ご連絡ありがとうございます。記録の写しは総務部で保管しております。四月の報告に間に合わせます。',
      22,
    );
    const text = [
      reply,
      '',
      quoted('> ', PARAGRAPH),
      quoted('>> ', PARAGRAPH),
      '> ・東京本社',
      '> ・大阪支社',
    ].join('\n');
    expect(text).toContain('顧\n> 客');
    expect(joinFixedWidthWraps(text)).toBe(
      [
        'ご連絡ありがとうございます。記録の写しは総務部で保管しております。四月の報告に間に合わせます。',
        '',
        `> ${PARAGRAPH}`,
        `>> ${PARAGRAPH}`,
        '> ・東京本社',
        '> ・大阪支社',
      ].join('\n'),
    );
    // A quoted line that starts with an indent starts a paragraph of its own.
    const indented = `${quoted('> ', PARAGRAPH)}\n> \u3000次の段落は字下げで始まる。`;
    expect(joinFixedWidthWraps(indented)).toBe(`> ${PARAGRAPH}\n> \u3000次の段落は字下げで始まる。`);
  });

  it('only ever removes line breaks, and the quote marks of a line it joins (property)', () => {
    const text = fc.string({ unit: fc.constantFrom(...'日本語かなカナ。、 a1>\n\u3000'), maxLength: 400 });
    const withoutBreaks = (t: string) => t.replace(/\n(?:> ?)*/g, '');
    fc.assert(
      fc.property(text, (t) => {
        const joined = joinFixedWidthWraps(t);
        expect(withoutBreaks(joined)).toBe(withoutBreaks(t));
        expect(joined.length).toBeLessThanOrEqual(t.length);
      }),
    );
  });

  it('only ever removes line breaks from text without quotes (property)', () => {
    const text = fc.string({ unit: fc.constantFrom(...'日本語かなカナ。、 a1\n\u3000'), maxLength: 400 });
    fc.assert(
      fc.property(text, (t) => {
        const joined = joinFixedWidthWraps(t);
        expect(joined.replace(/\n/g, '')).toBe(t.replace(/\n/g, ''));
        expect(joined.length).toBeLessThanOrEqual(t.length);
      }),
    );
  });
});
