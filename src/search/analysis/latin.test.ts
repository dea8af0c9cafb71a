import { describe, expect, it } from 'vitest';
import { latinTerm } from './latin.js';

describe('latinTerm', () => {
  it('stems English words (Porter)', () => {
    expect(latinTerm('running')).toBe('run');
    expect(latinTerm('revenues')).toBe(latinTerm('revenue'));
  });

  it('drops English stop words', () => {
    expect(latinTerm('the')).toBeNull();
    expect(latinTerm('with')).toBeNull();
  });

  it('keeps numbers and non-ASCII words as they are', () => {
    expect(latinTerm('2024')).toBe('2024');
    expect(latinTerm('café')).toBe('café');
  });
});
