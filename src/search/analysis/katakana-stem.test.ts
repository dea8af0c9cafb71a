import { describe, expect, it } from 'vitest';
import { stemKatakana } from './katakana-stem.js';

describe('stemKatakana', () => {
  it('drops a trailing long-vowel mark on long katakana words only', () => {
    expect(stemKatakana('コンピューター')).toBe('コンピュータ');
    expect(stemKatakana('カー')).toBe('カー');
    expect(stemKatakana('東京')).toBe('東京');
  });
});
