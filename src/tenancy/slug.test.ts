import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slugSchema } from './slug.js';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const alnum = fc.constantFrom(...ALNUM);
const inner = fc.constantFrom(...ALNUM, '-');

/** Words that routes use in a slug's position: never a slug. */
const RESERVED = ['callback', 'start', 'api', 'static'];

/** Slugs by construction: 1–40 characters of [a-z0-9-], starting and ending with a letter or digit. */
const validSlug = fc
  .oneof(
    alnum,
    fc
      .tuple(alnum, fc.string({ unit: inner, maxLength: 38 }), alnum)
      .map(([first, middle, last]) => `${first}${middle}${last}`),
  )
  .filter((slug) => !RESERVED.includes(slug));

const isValid = (text: string) => slugSchema.safeParse(text).success;

describe('slug schema', () => {
  it('accepts every slug of 1–40 lower-case letters, digits and inner hyphens', () => {
    fc.assert(
      fc.property(validSlug, (slug) => {
        expect(isValid(slug)).toBe(true);
      }),
    );
    expect(isValid('sora-bank')).toBe(true);
    expect(isValid('a'.repeat(40))).toBe(true);
  });

  it('refuses anything longer than 40 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: alnum, minLength: 41, maxLength: 80 }), (slug) => {
        expect(isValid(slug)).toBe(false);
      }),
    );
  });

  it('refuses a leading or trailing hyphen, and the empty string', () => {
    fc.assert(
      fc.property(validSlug, (slug) => {
        expect(isValid(`-${slug}`.slice(0, 40))).toBe(false);
        expect(isValid(`${slug}-`.slice(-40))).toBe(false);
      }),
    );
    expect(isValid('')).toBe(false);
    expect(isValid('-')).toBe(false);
  });

  it('refuses any character outside a-z, 0-9 and hyphen (upper case, spaces, full-width, dots, slashes)', () => {
    const outside = fc
      .string({ minLength: 1, maxLength: 1, unit: 'grapheme' })
      .filter((c) => !/^[a-z0-9-]$/.test(c));
    fc.assert(
      fc.property(validSlug, outside, fc.nat(), (slug, bad, at) => {
        const position = at % (slug.length + 1);
        const text = (slug.slice(0, position) + bad + slug.slice(position)).slice(0, 40);
        fc.pre(text.includes(bad));
        expect(isValid(text)).toBe(false);
      }),
    );
    for (const bad of ['Sora', 'sora bank', 'ｓｏｒａ', 'sora.bank', 'sora/bank', '蔵', 'sora_bank', 'a\n']) {
      expect(isValid(bad), bad).toBe(false);
    }
  });

  it('refuses the words routes use in a slug’s position', () => {
    for (const word of RESERVED) expect(isValid(word), word).toBe(false);
    expect(isValid('api-bank')).toBe(true);
  });
});
