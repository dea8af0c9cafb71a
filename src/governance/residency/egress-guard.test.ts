import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Provider } from '../../platform/llm/providers/provider.js';
import { refusalReason } from './egress-guard.js';
import { KNOWN_REGIONS, PII_MODES } from './regions.js';
import { SECTOR_PRESETS, type PolicyRules } from './residency-policy.js';

const region = fc.oneof(
  fc.constantFrom(...KNOWN_REGIONS),
  fc.constantFrom('us-east-1', 'mars', '', 'JP-EAST'),
);
const name = fc.constantFrom('jp-azure', 'us-openai', 'onprem-vllm', 'eu-mistral');
const provider = fc.record({ name, region, retainsData: fc.boolean() }).map((p): Provider => ({
  ...p,
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'openai-compatible',
  baseUrl: 'http://127.0.0.1:1/v1',
  chatModel: 'm',
  embeddingModel: null,
  hasApiKey: false,
  createdAt: new Date(0).toISOString(),
}));
const policy: fc.Arbitrary<PolicyRules | undefined> = fc.option(
  fc.record({
    allowedRegions: fc.option(fc.subarray([...KNOWN_REGIONS])),
    allowedProviders: fc.option(fc.subarray(['jp-azure', 'us-openai', 'onprem-vllm', 'eu-mistral'])),
    allowRetaining: fc.boolean(),
    piiMode: fc.constantFrom(...PII_MODES),
  }),
  { nil: undefined },
);

describe('egress guard decision', () => {
  it('allows exactly what every rule allows, and fails closed on no policy or an unknown region', () => {
    fc.assert(
      fc.property(policy, provider, (rules, p) => {
        const reason = refusalReason(rules, p);
        const allowed =
          rules !== undefined &&
          (KNOWN_REGIONS as readonly string[]).includes(p.region) &&
          (rules.allowedRegions === null || (rules.allowedRegions as string[]).includes(p.region)) &&
          (rules.allowedProviders === null || rules.allowedProviders.includes(p.name)) &&
          (!p.retainsData || rules.allowRetaining);
        expect(reason === undefined).toBe(allowed);
        if (reason !== undefined) {
          expect(reason).toContain(`"${p.name}"`);
          expect(reason).toContain(`region ${p.region}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('government and medical presets keep data in Japan or on premises, away from retaining providers', () => {
    for (const sector of ['government', 'medical'] as const) {
      fc.assert(
        fc.property(provider, (p) => {
          if (refusalReason(SECTOR_PRESETS[sector], p) === undefined) {
            expect(['jp-east', 'jp-west', 'on-prem']).toContain(p.region);
            expect(p.retainsData).toBe(false);
          }
        }),
      );
      expect(SECTOR_PRESETS[sector].piiMode).toBe('pseudonymize');
    }
    expect(SECTOR_PRESETS.finance.allowedRegions).toEqual(['jp-east', 'jp-west']);
    expect(SECTOR_PRESETS.finance.piiMode).toBe('pseudonymize');
    expect(SECTOR_PRESETS.education.piiMode).toBe('pseudonymize');
    expect(SECTOR_PRESETS.general.piiMode).toBe('detect');
  });
});
