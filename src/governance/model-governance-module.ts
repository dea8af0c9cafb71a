import type { KuraConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { ProviderModelGateway } from '../platform/llm/gateway-service.js';
import { ProviderRepository } from '../platform/llm/providers/provider-repository.js';
import { ProviderService } from '../platform/llm/providers/provider-service.js';
import type { CompanyRepository } from '../tenancy/companies/company-repository.js';
import { UsageRepository } from './metering/usage-repository.js';
import { AuditedUsageSink } from './metering/audited-usage-sink.js';
import type { AuditLog } from './audit/audit-log.js';
import type { Logger } from '../platform/log/logger.js';
import { PolicyEgressGuard } from './residency/egress-guard.js';
import { TokenBudgetGuard } from './quotas/token-budget-guard.js';
import { QuotaRepository } from './quotas/quota-repository.js';
import { PolicyRepository } from './residency/policy-repository.js';
import { PolicyCache } from './residency/policy-cache.js';
import { PolicyPiiProtection } from './residency/policy-pii-protection.js';
import { loadKuromojiTokenizer } from '../search/analysis/kuromoji-tokenizer.js';
import type { MorphTokenizer } from '../search/analysis/morph.js';
import { ResidencyService } from './residency/residency-service.js';
import { GroupRepository } from '../tenancy/groups/group-repository.js';
import { GroupBudgetGuard } from './quotas/group-budget-guard.js';
import { GroupBudgetRepository } from './quotas/group-budget-repository.js';
import { GroupBudgetService } from './quotas/group-budget-service.js';

export interface ModelGovernanceOptions {
  llm: KuraConfig['llm'];
  /** Tests shorten these; production keeps the defaults. */
  breaker?: { failureThreshold: number; cooldownMs: number };
  retryDelayMs?: { base: number; max: number };
  /** The morphological analyser, loaded on first use and shared with search (default: its own). */
  tokenizer?: () => Promise<MorphTokenizer>;
  /** The audit log every model call is also written to (built after tenancy, hence a getter). */
  audit?: () => AuditLog | undefined;
  logger?: Logger;
}

/** Wires residency policies, the egress guard, metering, the provider registry and the model gateway. */
export function createModelGovernance(
  db: Database,
  keyring: Keyring,
  companies: CompanyRepository,
  options: ModelGovernanceOptions,
) {
  const policies = new PolicyRepository(db);
  const cachedPolicies = new PolicyCache(policies);
  const usage = new UsageRepository(db);
  // Residency first, then the company's monthly token budget, then its group's: all refuse before a
  // byte leaves.
  const groups = new GroupRepository(db);
  const groupBudgetRepository = new GroupBudgetRepository(db);
  const guard = new GroupBudgetGuard(
    new TokenBudgetGuard(new PolicyEgressGuard(cachedPolicies), db, new QuotaRepository(db)),
    db,
    groupBudgetRepository,
    companies,
    groups,
  );
  const providers = new ProviderService(new ProviderRepository(db), keyring);
  let ownTokenizer: Promise<MorphTokenizer> | undefined;
  const tokenizer = options.tokenizer ?? (() => (ownTokenizer ??= loadKuromojiTokenizer()));
  const pii = new PolicyPiiProtection(cachedPolicies, tokenizer);
  const metered = new AuditedUsageSink(usage, options.audit ?? (() => undefined), options.logger);
  const gateway = new ProviderModelGateway(providers, guard, metered, pii, {
    retry: {
      maxRetries: options.llm.maxRetries,
      timeoutMs: options.llm.timeoutMs,
      baseDelayMs: options.retryDelayMs?.base ?? 500,
      maxDelayMs: options.retryDelayMs?.max ?? 8_000,
    },
    breaker: options.breaker ?? { failureThreshold: 5, cooldownMs: 30_000 },
  });
  return {
    residency: new ResidencyService(cachedPolicies, companies),
    policies,
    usage,
    guard,
    groupBudgets: new GroupBudgetService(db, groupBudgetRepository, groups, companies),
    pii,
    providers,
    gateway,
  };
}

export type ModelGovernance = ReturnType<typeof createModelGovernance>;
