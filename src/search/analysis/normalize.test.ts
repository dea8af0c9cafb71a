import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize.js';

describe('normalizeText', () => {
  it('folds full-width Latin to lower-case ASCII', () => {
    expect(normalizeText('全角ＡＢＣ')).toBe('全角abc');
    expect(normalizeText('ＡＢＣ１２３')).toBe('abc123');
  });

  it('folds half-width katakana to full-width', () => {
    expect(normalizeText('ｶﾀｶﾅ')).toBe('カタカナ');
    expect(normalizeText('ｶﾞｯｺｳ')).toBe('ガッコウ');
  });

  it('turns punctuation and symbols into single spaces', () => {
    expect(normalizeText('「東京」、J-CAST！ (株) ＆ ★')).toBe('東京 j cast 株');
  });

  it('keeps the long-vowel mark and iteration mark', () => {
    expect(normalizeText('コーヒー 人々')).toBe('コーヒー 人々');
  });
});
