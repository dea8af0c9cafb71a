import type { PiiProtection } from '../../platform/llm/model-gateway.js';
import type { MorphTokenizer } from '../../search/analysis/morph.js';
import { PiiGuard, PiiScanner, type PiiMode } from '../pii/index.js';
import type { PolicyCache } from './policy-cache.js';
import { ResidencyViolationError } from './residency-violation.js';

/**
 * The gateway's view of a company's PII mode (read through the same cache as the egress guard) and
 * the one guard of the process. The scanner needs the Japanese dictionary, so it is built on the
 * first model call whose mode is not `off` — from the tokenizer search shares.
 */
export class PolicyPiiProtection implements PiiProtection {
  private loading: Promise<PiiGuard> | undefined;

  constructor(
    private readonly policies: PolicyCache,
    private readonly tokenizer: () => Promise<MorphTokenizer>,
  ) {}

  async modeFor(tenantId: string): Promise<PiiMode> {
    const policy = await this.policies.find(tenantId);
    if (!policy) throw new ResidencyViolationError('the company has no residency policy (PII mode unknown)');
    return policy.piiMode;
  }

  guard(): Promise<PiiGuard> {
    this.loading ??= this.tokenizer().then((tokenizer) => new PiiGuard(new PiiScanner({ tokenizer })));
    // A failed load is retried by the next call rather than remembered.
    this.loading.catch(() => (this.loading = undefined));
    return this.loading;
  }
}
