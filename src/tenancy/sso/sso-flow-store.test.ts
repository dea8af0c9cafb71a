import { describe, expect, it } from 'vitest';
import { SsoFlowStore, type PendingFlow } from './sso-flow-store.js';

const flow = (n = 0): PendingFlow => ({
  tenantId: `00000000-0000-4000-8000-00000000000${n}`,
  issuer: 'https://idp.example',
  clientId: 'kura',
  redirectUri: 'https://kura.example/api/v1/auth/sso/callback',
  state: `state-${n}`,
  nonce: `nonce-${n}`,
  codeVerifier: `verifier-${n}`,
});

describe('pending SSO flows', () => {
  it('hands a flow out once, under an unguessable id', () => {
    const store = new SsoFlowStore();
    const id = store.put(flow());
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.take(id)).toEqual(flow());
    expect(store.take(id)).toBeUndefined();
    expect(store.take('made-up')).toBeUndefined();
  });

  it('forgets flows after their time to live', () => {
    let now = 1_000;
    const store = new SsoFlowStore(60_000, 100, () => now);
    const id = store.put(flow());
    now += 60_000;
    expect(store.take(id)).toBeUndefined();
    const stale = store.put(flow(1));
    now += 60_001;
    store.put(flow(2));
    expect(store.size).toBe(1);
    expect(store.take(stale)).toBeUndefined();
  });

  it('stays bounded when flows are started and never finished', () => {
    const store = new SsoFlowStore(60_000, 3);
    const ids = [0, 1, 2, 3, 4].map((n) => store.put(flow(n)));
    expect(store.size).toBe(3);
    expect(store.take(ids[0]!)).toBeUndefined();
    expect(store.take(ids[4]!)).toEqual(flow(4));
  });
});
