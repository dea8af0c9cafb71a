import { randomToken } from '../../platform/crypto/tokens.js';

/** What a sign-in started with and its callback must match: the company, its IdP client and the one-time checks. */
export interface PendingFlow {
  tenantId: string;
  issuer: string;
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * Sign-ins in flight, held in this process's memory under an opaque random id that the browser keeps
 * in a cookie. Chosen over a signed cookie because the PKCE verifier and nonce never leave the server,
 * each flow can be used once only (a replayed callback finds nothing), and no signing key has to exist
 * before per-company key management does. The price: a flow started before a restart, or on another
 * replica without sticky routing, fails and the user clicks "Sign in with SSO" again.
 */
export class SsoFlowStore {
  private readonly flows = new Map<string, { flow: PendingFlow; expiresAt: number }>();

  constructor(
    readonly ttlMs = 10 * 60_000,
    private readonly maxPending = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps the flow and returns its id. The store is bounded: anyone may start a flow, so the oldest ones make room. */
  put(flow: PendingFlow): string {
    this.sweep();
    while (this.flows.size >= this.maxPending) {
      const oldest = this.flows.keys().next().value;
      if (oldest === undefined) break;
      this.flows.delete(oldest);
    }
    const id = randomToken(32);
    this.flows.set(id, { flow, expiresAt: this.now() + this.ttlMs });
    return id;
  }

  /** The flow, removed so it cannot be used twice; undefined when unknown or expired. */
  take(id: string): PendingFlow | undefined {
    const entry = this.flows.get(id);
    if (!entry) return undefined;
    this.flows.delete(id);
    return entry.expiresAt > this.now() ? entry.flow : undefined;
  }

  get size(): number {
    return this.flows.size;
  }

  private sweep(): void {
    const now = this.now();
    // Insertion order is expiry order (one TTL), so the scan stops at the first live flow.
    for (const [id, entry] of this.flows) {
      if (entry.expiresAt > now) break;
      this.flows.delete(id);
    }
  }
}
