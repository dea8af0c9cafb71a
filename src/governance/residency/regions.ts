import { z } from 'zod';

/**
 * Regions a provider may declare. The egress guard refuses a provider whose region is not one of
 * these (it cannot say where the data would go), so adding a region is a reviewed code change.
 */
export const KNOWN_REGIONS = ['jp-east', 'jp-west', 'on-prem', 'us', 'eu', 'apac'] as const;
export type Region = (typeof KNOWN_REGIONS)[number];
export const JAPANESE_REGIONS: readonly Region[] = ['jp-east', 'jp-west'];

export const isKnownRegion = (region: string): region is Region =>
  (KNOWN_REGIONS as readonly string[]).includes(region);

export const PII_MODES = ['off', 'detect', 'pseudonymize', 'block'] as const;
export type PiiMode = (typeof PII_MODES)[number];

export const regionNameSchema = z.enum(KNOWN_REGIONS);
