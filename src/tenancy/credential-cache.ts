import type { Actor } from './actor.js';

/**
 * Verified credentials for a short time, so a busy API does not hit the database on every request.
 * The time-to-live bounds how long a revocation made by another process can take to bite; revocations
 * in this process evict at once.
 */
export class CredentialCache {
  private readonly entries = new Map<string, { actor: Actor; expiresAt: number }>();

  constructor(
    private readonly ttlMs = 1_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(credential: string): Actor | undefined {
    const entry = this.entries.get(credential);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(credential);
      return undefined;
    }
    return entry.actor;
  }

  set(credential: string, actor: Actor): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(credential, { actor, expiresAt: this.now() + this.ttlMs });
  }

  /** Evicts every cached credential that resolves to this key, session or user id. */
  evict(id: string): void {
    for (const [credential, entry] of this.entries) {
      if (entry.actor.id === id || entry.actor.session?.id === id) this.entries.delete(credential);
    }
  }

  /** Evicts every cached credential of a company (when the company is deleted). */
  evictTenant(tenantId: string): void {
    for (const [credential, entry] of this.entries) {
      if (entry.actor.tenantId === tenantId) this.entries.delete(credential);
    }
  }
}
