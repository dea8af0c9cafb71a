import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinLines, removeWideSegmentBreaks } from './wide-line-breaks.js';

/** Every line counted as wrapped: each break between two wide characters goes. */
const joinWrappedLines = (text: string) => joinLines(text.split('\n'), () => true);

describe('line breaks between wide characters', () => {
  it('joins a printed line that ends inside a Japanese word, with the spaces around the break', () => {
    expect(joinWrappedLines('講座内容に疑\n問を呈した')).toBe('講座内容に疑問を呈した');
    expect(joinWrappedLines('東京都内で \r\n　行った')).toBe('東京都内で行った');
    expect(joinWrappedLines('サーバー\nエラー。\n次の文')).toBe('サーバーエラー。次の文');
    // A kanji outside the Basic Multilingual Plane is a surrogate pair.
    expect(joinWrappedLines('𠮷\n野家')).toBe('𠮷野家');
  });

  it('keeps a blank line (a paragraph) and a break next to a Latin letter or a digit', () => {
    for (const text of ['第1条\n\n目的', 'abc\n日本', '日本\nabc', '2018\n年', '\n冒頭', '末尾\n'])
      expect(joinWrappedLines(text)).toBe(text);
  });

  it('keeps the break after a line that does not wrap', () => {
    const lines = [
      '第1章 総則',
      '経費の精算は発生した月の翌',
      '月十日までに申請する。',
      'ソラペイ',
      'カスタマーセンター',
    ];
    const wraps = [false, true, false, false];
    expect(joinLines(lines, (index) => wraps[index]!)).toBe(
      '第1章 総則\n経費の精算は発生した月の翌月十日までに申請する。\nソラペイ\nカスタマーセンター',
    );
  });

  it('removes, in HTML source, any whitespace with a line break between wide characters', () => {
    expect(removeWideSegmentBreaks('東京\n\n  都 と\n大阪 and\nOsaka')).toBe('東京都 と大阪 and\nOsaka');
  });

  const japanese = fc.string({
    unit: fc.constantFrom(...'漢字かなカナー𠮷。「」 \n\u3000aZ09'),
    maxLength: 60,
  });

  it('only ever removes whitespace, and leaves no single break between two Japanese letters (property)', () => {
    fc.assert(
      fc.property(japanese, (text) => {
        const joined = joinWrappedLines(text);
        expect(joined.replace(/\s/gu, '')).toBe(text.replace(/\s/gu, ''));
        expect(joinWrappedLines(joined)).toBe(joined);
        expect(joined).not.toMatch(
          /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}ー][ \t\u3000]*\n[ \t\u3000]*[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}ー]/u,
        );
      }),
    );
  });
});
