import type { PolicyRepository } from './policy-repository.js';
import type { PolicyRules, ResidencyPolicy } from './residency-policy.js';

/**
 * The policies the egress guard reads on every model call, kept up to `ttlMs` (default 1 s): a
 * change made in this process applies to the next call (the service evicts), one made by another
 * process within the lifetime. Only successful reads are kept, so a failed read still fails closed.
 */
export class PolicyCache {
  private readonly entries = new Map<string, { policy: ResidencyPolicy | undefined; until: number }>();

  constructor(
    private readonly policies: PolicyRepository,
    private readonly ttlMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  async find(tenantId: string): Promise<ResidencyPolicy | undefined> {
    const cached = this.entries.get(tenantId);
    if (cached && cached.until > this.now()) return cached.policy;
    const policy = await this.policies.find(tenantId);
    this.entries.set(tenantId, { policy, until: this.now() + this.ttlMs });
    return policy;
  }

  async upsert(tenantId: string, rules: PolicyRules): Promise<ResidencyPolicy> {
    this.entries.delete(tenantId);
    try {
      return await this.policies.upsert(tenantId, rules);
    } finally {
      this.entries.delete(tenantId);
    }
  }
}
