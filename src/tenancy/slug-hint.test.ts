import { describe, expect, it } from 'vitest';
import { slugHint } from './slug-hint.js';

describe('slugHint', () => {
  it('names the slugs there are, sorted', () => {
    expect(slugHint('companies', ['sora-pay', 'sora-hd', 'sora-mobile'], 'kura tenant list')).toBe(
      'The companies here: sora-hd, sora-mobile, sora-pay.',
    );
  });

  it('says when there are none, and how the first is made', () => {
    expect(slugHint('groups', [], 'kura group list')).toBe(
      'There are no groups yet: `kura group create <slug> --name <name>` creates one (`npm start` creates the demo group).',
    );
    expect(slugHint('companies', [], 'kura tenant list')).toMatch(
      /^There are no companies yet: `kura tenant create <slug>/,
    );
  });

  it('names ten and points at the list command past that', () => {
    const slugs = Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    expect(slugHint('companies', slugs, 'kura tenant list')).toBe(
      'The companies here: c00, c01, c02, c03, c04, c05, c06, c07, c08, c09, … (12 in all: kura tenant list).',
    );
  });
});
