import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mintApiKey, parseApiKey } from './api-key-token.js';
import { sha256Hex } from '../../platform/crypto/tokens.js';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('API key tokens', () => {
  it('a minted key parses back to its key id, company id and the hash that is stored', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (id, tenantId) => {
        const minted = mintApiKey(id, tenantId);
        expect(minted.key.startsWith(minted.prefix)).toBe(true);
        expect(parseApiKey(minted.key)).toEqual({ id, tenantId, secretHash: minted.secretHash });
      }),
    );
  });

  it('reads kura_ + 22 + 22 + 43 base64url characters, and its prefix names no secret', () => {
    const { key, prefix } = mintApiKey(randomUUID(), randomUUID());
    expect(key).toMatch(/^kura_[A-Za-z0-9_-]{87}$/);
    expect(prefix).toBe(key.slice(0, 13));
  });

  it('two keys minted for the same ids differ and have different hashes', () => {
    const id = randomUUID();
    const tenantId = randomUUID();
    const a = mintApiKey(id, tenantId);
    const b = mintApiKey(id, tenantId);
    expect(a.key).not.toBe(b.key);
    expect(a.secretHash).not.toBe(b.secretHash);
    expect(a.secretHash).toBe(sha256Hex(a.key.slice(5 + 44)));
  });

  it('random strings never parse into a key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        expect(parseApiKey(text)).toBeUndefined();
      }),
    );
    // Near misses: right alphabet, wrong length or prefix.
    fc.assert(
      fc.property(
        fc.constantFrom('', 'kura_', 'Kura_', 'kura-', 'sk-'),
        fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 0, maxLength: 100 }),
        (prefix, body) => {
          fc.pre(!(prefix === 'kura_' && body.length === 87));
          expect(parseApiKey(prefix + body)).toBeUndefined();
        },
      ),
    );
  });

  it('changing any character of a key’s ids either breaks it or names other ids: one key, one spelling', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.uuid(),
        fc.nat({ max: 43 }),
        fc.constantFrom(...BASE64URL),
        (id, tenantId, at, replacement) => {
          const { key } = mintApiKey(id, tenantId);
          const position = 5 + at;
          fc.pre(key[position] !== replacement);
          const altered = key.slice(0, position) + replacement + key.slice(position + 1);
          const parsed = parseApiKey(altered);
          if (parsed) expect([parsed.id, parsed.tenantId]).not.toEqual([id, tenantId]);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('refuses keys with whitespace, padding or another alphabet around a valid key', () => {
    const { key } = mintApiKey(randomUUID(), randomUUID());
    for (const variant of [
      ` ${key}`,
      `${key} `,
      `${key}=`,
      `${key}\n`,
      key.replace('kura_', 'KURA_'),
      key.slice(0, -1) + '+',
    ]) {
      expect(parseApiKey(variant)).toBeUndefined();
    }
  });
});
