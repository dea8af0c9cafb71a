import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.js';
import { CredentialCache } from './credential-cache.js';

const TENANT_A = '00000000-0000-4000-8000-00000000000a';
const TENANT_B = '00000000-0000-4000-8000-00000000000b';

const keyActor = (id: string, tenantId = TENANT_A): Actor => ({
  kind: 'api_key',
  id,
  role: 'member',
  tenantId,
  groupId: null,
});
const sessionActor = (userId: string, sessionId: string, tenantId = TENANT_A): Actor => ({
  kind: 'user',
  id: userId,
  role: 'admin',
  tenantId,
  groupId: null,
  session: { id: sessionId, csrfToken: 'csrf' },
});

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('CredentialCache', () => {
  it('answers a cached credential until its time-to-live has passed', () => {
    const time = clock();
    const cache = new CredentialCache(1_000, 100, time.now);
    const actor = keyActor('k1');
    cache.set('kura_secret', actor);
    expect(cache.get('kura_secret')).toBe(actor);
    time.advance(999);
    expect(cache.get('kura_secret')).toBe(actor);
    time.advance(1);
    expect(cache.get('kura_secret')).toBeUndefined();
    expect(cache.get('never-set')).toBeUndefined();
  });

  it('setting a credential again restarts its time-to-live', () => {
    const time = clock();
    const cache = new CredentialCache(1_000, 100, time.now);
    cache.set('c', keyActor('k1'));
    time.advance(800);
    cache.set('c', keyActor('k1'));
    time.advance(800);
    expect(cache.get('c')?.id).toBe('k1');
  });

  it('evicts by key id, by session id and by user id, and nothing else', () => {
    const cache = new CredentialCache(60_000, 100, clock().now);
    cache.set('key-1', keyActor('k1'));
    cache.set('key-2', keyActor('k2'));
    cache.set('cookie-1', sessionActor('u1', 's1'));
    cache.set('cookie-2', sessionActor('u1', 's2'));
    cache.set('cookie-3', sessionActor('u2', 's3'));

    cache.evict('k1');
    expect(cache.get('key-1')).toBeUndefined();
    expect(cache.get('key-2')?.id).toBe('k2');

    cache.evict('s3');
    expect(cache.get('cookie-3')).toBeUndefined();
    expect(cache.get('cookie-1')?.id).toBe('u1');

    cache.evict('u1');
    expect(cache.get('cookie-1')).toBeUndefined();
    expect(cache.get('cookie-2')).toBeUndefined();
    expect(cache.get('key-2')?.id).toBe('k2');
  });

  it('evicts every credential of a company', () => {
    const cache = new CredentialCache(60_000, 100, clock().now);
    cache.set('a-key', keyActor('k1', TENANT_A));
    cache.set('a-cookie', sessionActor('u1', 's1', TENANT_A));
    cache.set('b-key', keyActor('k2', TENANT_B));
    cache.evictTenant(TENANT_A);
    expect(cache.get('a-key')).toBeUndefined();
    expect(cache.get('a-cookie')).toBeUndefined();
    expect(cache.get('b-key')?.id).toBe('k2');
  });

  it('never holds more than maxEntries credentials and keeps the newest', () => {
    const cache = new CredentialCache(60_000, 3, clock().now);
    for (let i = 0; i < 10; i++) cache.set(`c${i}`, keyActor(`k${i}`));
    const held = Array.from({ length: 10 }, (_, i) => cache.get(`c${i}`)).filter(Boolean);
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThanOrEqual(3);
    expect(cache.get('c9')?.id).toBe('k9');
  });
});
