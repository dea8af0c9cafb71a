import type { EgressGuard } from '../../platform/llm/model-gateway.js';
import type { Provider } from '../../platform/llm/providers/provider.js';
import type { PolicyCache } from './policy-cache.js';
import { isKnownRegion } from './regions.js';
import type { PolicyRules } from './residency-policy.js';
import { ResidencyViolationError } from './residency-violation.js';

/** Why this provider may not receive this policy's data; undefined when it may. Pure: no I/O. */
export function refusalReason(policy: PolicyRules | undefined, provider: Provider): string | undefined {
  const where = `provider "${provider.name}" (region ${provider.region})`;
  if (!policy) return `${where} refused: the company has no residency policy`;
  if (!isKnownRegion(provider.region)) return `${where} refused: region ${provider.region} is unknown`;
  if (policy.allowedRegions !== null && !policy.allowedRegions.includes(provider.region))
    return `${where} refused: the company's data may go only to ${policy.allowedRegions.join(', ') || 'no region'}`;
  if (policy.allowedProviders !== null && !policy.allowedProviders.includes(provider.name))
    return `${where} refused: the company allows only providers ${policy.allowedProviders.join(', ') || '(none)'}`;
  if (provider.retainsData && !policy.allowRetaining)
    return `${where} refused: it retains data, and the company allows no retaining provider`;
  return undefined;
}

/**
 * The egress guard: reads the company's policy on every call (through PolicyCache: a change made
 * here applies to the next call, elsewhere within a second) and fails closed — no policy, an unknown region or an error reading the policy all refuse.
 */
export class PolicyEgressGuard implements EgressGuard {
  constructor(private readonly policies: PolicyCache) {}

  async check(tenantId: string, provider: Provider): Promise<void> {
    const reason = refusalReason(await this.policyOf(tenantId, provider), provider);
    if (reason) throw new ResidencyViolationError(reason);
  }

  async allowed(tenantId: string, providers: Provider[]): Promise<Provider[]> {
    if (providers.length === 0) return [];
    let policy: PolicyRules | undefined;
    try {
      policy = await this.policies.find(tenantId);
    } catch {
      return [];
    }
    return providers.filter((provider) => refusalReason(policy, provider) === undefined);
  }

  private async policyOf(tenantId: string, provider: Provider): Promise<PolicyRules | undefined> {
    try {
      return await this.policies.find(tenantId);
    } catch (error) {
      throw new ResidencyViolationError(
        `provider "${provider.name}" (region ${provider.region}) refused: the residency policy could not be read (${(error as Error).message})`,
      );
    }
  }
}
