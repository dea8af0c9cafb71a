import type { Sector } from '../../tenancy/roles.js';
import { JAPANESE_REGIONS, type PiiMode, type Region } from './regions.js';

/** Where a company's data may go when Kura calls a model for it. */
export interface ResidencyPolicy {
  tenantId: string;
  /** null: any known region. */
  allowedRegions: Region[] | null;
  /** Provider names; null: any registered provider. */
  allowedProviders: string[] | null;
  /** May providers that retain prompts (for abuse monitoring, training) receive this company's data? */
  allowRetaining: boolean;
  piiMode: PiiMode;
  updatedAt: string;
}

export type PolicyRules = Omit<ResidencyPolicy, 'tenantId' | 'updatedAt'>;

const JAPAN_OR_ON_PREM: Region[] = [...JAPANESE_REGIONS, 'on-prem'];

/** Defaults per sector, applied when a company is created (and by migration 0005 to existing ones). */
export const SECTOR_PRESETS: Record<Sector, PolicyRules> = {
  government: {
    allowedRegions: JAPAN_OR_ON_PREM,
    allowedProviders: null,
    allowRetaining: false,
    piiMode: 'pseudonymize',
  },
  medical: {
    allowedRegions: JAPAN_OR_ON_PREM,
    allowedProviders: null,
    allowRetaining: false,
    piiMode: 'pseudonymize',
  },
  finance: {
    allowedRegions: [...JAPANESE_REGIONS],
    allowedProviders: null,
    allowRetaining: true,
    piiMode: 'pseudonymize',
  },
  education: { allowedRegions: null, allowedProviders: null, allowRetaining: true, piiMode: 'pseudonymize' },
  general: { allowedRegions: null, allowedProviders: null, allowRetaining: true, piiMode: 'detect' },
};

/** One line for the CLI: `regions=jp-east,jp-west providers=any retaining=no pii=pseudonymize`. */
export function describePolicy(policy: PolicyRules): string {
  return [
    `regions=${policy.allowedRegions?.join(',') ?? 'any'}`,
    `providers=${policy.allowedProviders?.join(',') ?? 'any'}`,
    `retaining=${policy.allowRetaining ? 'allowed' : 'no'}`,
    `pii=${policy.piiMode}`,
  ].join(' ');
}
