/**
 * A company's residency policy as the console shows it. The sector presets come from the server
 * (`GET /api/v1/sector-presets`, the table that applies them to new companies): one source of truth.
 */

export const REGIONS = ['jp-east', 'jp-west', 'on-prem', 'us', 'eu', 'apac'] as const;
export const PII_MODES = ['off', 'detect', 'pseudonymize', 'block'] as const;
export type PiiMode = (typeof PII_MODES)[number];

export interface ResidencyPolicy {
  tenantId: string;
  allowedRegions: string[] | null;
  allowedProviders: string[] | null;
  allowRetaining: boolean;
  piiMode: PiiMode;
  updatedAt: string;
}

export type PolicyRules = Omit<ResidencyPolicy, 'tenantId' | 'updatedAt'>;

export interface Provider {
  id: string;
  name: string;
  kind: string;
  region: string;
  chatModel: string;
  retainsData: boolean;
}

export interface SectorPreset {
  sector: string;
  rules: PolicyRules;
}

const sameList = (a: string[] | null, b: string[] | null) =>
  a === null || b === null ? a === b : [...a].sort().join() === [...b].sort().join();

/** Which rules differ from the preset (to mark them on the page). */
export function differences(rules: PolicyRules, preset: PolicyRules): Set<keyof PolicyRules> {
  const changed = new Set<keyof PolicyRules>();
  if (!sameList(rules.allowedRegions, preset.allowedRegions)) changed.add('allowedRegions');
  if (!sameList(rules.allowedProviders, preset.allowedProviders)) changed.add('allowedProviders');
  if (rules.allowRetaining !== preset.allowRetaining) changed.add('allowRetaining');
  if (rules.piiMode !== preset.piiMode) changed.add('piiMode');
  return changed;
}
