import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrapToWidth } from './wrap-to-width.js';

/** A Japanese font's advances: a full-width character 1, a half-width one 0.5. */
const widthOf = (character: string) => (/^[\x20-\x7e]$/.test(character) ? 0.5 : 1);
const widthOfLine = (line: string) => [...line].reduce((sum, c) => sum + widthOf(c), 0);

describe('wrapToWidth', () => {
  it('fills each line to the width, counting half-width characters as half', () => {
    expect(wrapToWidth('経費の精算は翌月十日まで', 4, widthOf)).toEqual(['経費の精', '算は翌月', '十日まで']);
    expect(wrapToWidth('内線7100へ連絡', 4, widthOf)).toEqual(['内線7100', 'へ連絡']);
  });

  it('moves a Latin word or an address whole to the next line, and splits one longer than a line', () => {
    expect(wrapToWidth('APNに sora.mobile.jp を', 8, widthOf)).toEqual(['APNに ', 'sora.mobile.jp ', 'を']);
    expect(wrapToWidth('あabcdefghijklmnopqrstu', 4, widthOf)).toEqual(['あabcdef', 'ghijklmn', 'opqrstu']);
  });

  it('loses and adds nothing, and no line is wider than the width unless one character is (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'漢字かなカナabc 09.-/'), maxLength: 80 }), (text) => {
        const lines = wrapToWidth(text, 6, widthOf);
        expect(lines.join('')).toBe(text);
        for (const line of lines) expect(widthOfLine(line)).toBeLessThanOrEqual(6);
      }),
    );
  });
});
