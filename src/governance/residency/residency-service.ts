import { z } from 'zod';
import { NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import type { Company, CompanyRepository } from '../../tenancy/companies/company-repository.js';
import { authorize as authorizeAction, authorizeOn } from '../../tenancy/policies.js';
import { SECTORS, type Sector } from '../../tenancy/roles.js';
import type { PolicyCache } from './policy-cache.js';
import { PII_MODES, regionNameSchema } from './regions.js';
import { SECTOR_PRESETS, type PolicyRules, type ResidencyPolicy } from './residency-policy.js';

const providerName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'provider names look like jp-azure');

/** A change to a company's policy: fields left out keep their value; null regions/providers mean any. */
export const updatePolicyInput = z.object({
  allowedRegions: z.array(regionNameSchema).max(20).nullable().optional(),
  allowedProviders: z.array(providerName).max(50).nullable().optional(),
  allowRetaining: z.boolean().optional(),
  piiMode: z.enum(PII_MODES).optional(),
});

/** Each company's residency policy: read and changed by its admins, its group's admins and the operator. */
export class ResidencyService {
  constructor(
    private readonly policies: PolicyCache,
    private readonly companies: CompanyRepository,
  ) {}

  async get(actor: Actor, tenantId: string): Promise<ResidencyPolicy> {
    await this.authorize(actor, 'policy.read', tenantId);
    const policy = await this.policies.find(tenantId);
    if (!policy) throw new NotFoundError('Residency policy');
    return policy;
  }

  async update(
    actor: Actor,
    tenantId: string,
    input: z.input<typeof updatePolicyInput>,
  ): Promise<ResidencyPolicy> {
    const patch = updatePolicyInput.parse(input);
    const company = await this.authorize(actor, 'policy.update', tenantId);
    const current = (await this.policies.find(tenantId)) ?? { ...SECTOR_PRESETS[company.sector] };
    return this.policies.upsert(tenantId, {
      allowedRegions: patch.allowedRegions !== undefined ? patch.allowedRegions : current.allowedRegions,
      allowedProviders:
        patch.allowedProviders !== undefined ? patch.allowedProviders : current.allowedProviders,
      allowRetaining: patch.allowRetaining ?? current.allowRetaining,
      piiMode: patch.piiMode ?? current.piiMode,
    });
  }

  /** The sector presets (global, read-only): what each sector implies, from the table that applies them. */
  presets(actor: Actor): { sector: Sector; rules: PolicyRules }[] {
    authorizeAction(actor, 'sector-preset.read');
    return SECTORS.map((sector) => ({ sector, rules: SECTOR_PRESETS[sector] }));
  }

  /** A new company starts from its sector's preset. */
  applyPreset(company: Company): Promise<ResidencyPolicy> {
    return this.policies.upsert(company.id, SECTOR_PRESETS[company.sector]);
  }

  private async authorize(
    actor: Actor,
    action: 'policy.read' | 'policy.update',
    tenantId: string,
  ): Promise<Company> {
    const company = await this.companies.findById(tenantId);
    if (!company) throw new NotFoundError('Company');
    authorizeOn(actor, action, { tenantId: company.id, groupId: company.groupId }, 'Company');
    return company;
  }
}
