import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomToken } from '../../platform/crypto/tokens.js';
import { parseSessionToken } from './session-service.js';

describe('session cookie tokens', () => {
  it('an issued token (<company id>.<session id>.<secret>) parses back to its parts', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (tenantId, id) => {
        const secret = randomToken(32);
        expect(parseSessionToken(`${tenantId}.${id}.${secret}`)).toEqual({ tenantId, id, secret });
      }),
    );
  });

  it('random strings never parse', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(parseSessionToken(text)).toBeUndefined();
      }),
    );
  });

  it('refuses tokens with a part missing, extra parts, a short secret or surrounding text', () => {
    const tenantId = randomUUID();
    const id = randomUUID();
    const secret = randomToken(32);
    const good = `${tenantId}.${id}.${secret}`;
    expect(parseSessionToken(good)).toBeDefined();
    for (const bad of [
      `${tenantId}.${id}`,
      `${id}.${secret}`,
      `${tenantId}.${id}.${secret}.x`,
      `${tenantId}.${id}.${secret.slice(1)}`,
      `${tenantId}.${id}.${secret}=`,
      `${tenantId}.not-a-uuid.${secret}`,
      ` ${good}`,
      `${good}\n`,
      `${tenantId}..${secret}`,
      '',
    ]) {
      expect(parseSessionToken(bad), bad).toBeUndefined();
    }
  });
});
