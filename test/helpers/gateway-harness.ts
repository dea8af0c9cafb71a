import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/platform/db/database.js';
import { createKeyring } from '../../src/platform/crypto/create-keyring.js';
import { LocalKeyProvider } from '../../src/platform/crypto/key-provider.js';
import type { Keyring } from '../../src/platform/crypto/keyring.js';
import {
  createModelGovernance,
  type ModelGovernance,
  type ModelGovernanceOptions,
} from '../../src/governance/model-governance-module.js';
import { CompanyRepository } from '../../src/tenancy/companies/company-repository.js';
import { createTenancy, type Tenancy } from '../../src/tenancy/tenancy-module.js';
import { OPERATOR } from '../../src/tenancy/actor.js';
import type { Provider } from '../../src/platform/llm/providers/provider.js';
import { createTestDatabase, type Engine } from './test-database.js';

export interface GatewayHarness {
  db: Database;
  keyring: Keyring;
  tenancy: Tenancy;
  governance: ModelGovernance;
  addProvider(input: {
    name: string;
    url: string;
    region: string;
    kind?: 'openai' | 'azure' | 'openai-compatible';
    retainsData?: boolean;
    embeddingModel?: string;
    apiKey?: string;
  }): Promise<Provider>;
  close(): Promise<void>;
}

/**
 * Tenancy + governance (key ring, residency policies, egress guard, metering, model gateway) over a
 * fresh database, wired as the runtime wires them, with short retry delays and breaker cooldowns.
 */
export async function startGatewayHarness(
  engine: Engine = 'pglite',
  options: Partial<ModelGovernanceOptions> = {},
): Promise<GatewayHarness> {
  const db = await createTestDatabase(engine);
  const keyring = createKeyring(db, new LocalKeyProvider(randomBytes(32)));
  // ModelGovernance reads companies through its own repository: tenancy calls it when a company is created.
  const governance = createModelGovernance(db, keyring, new CompanyRepository(db), {
    llm: { timeoutMs: 2_000, maxRetries: 3 },
    breaker: { failureThreshold: 5, cooldownMs: 60_000 },
    retryDelayMs: { base: 5, max: 20 },
    ...options,
  });
  const tenancy = createTenancy(db, {
    sessionTtlMs: 60_000,
    login: { maxFailures: 5, lockoutMs: 60_000 },
    keyring,
    onCompanyCreated: (company) => governance.residency.applyPreset(company),
  });
  const g = governance;
  return {
    db,
    keyring,
    tenancy,
    governance: g,
    addProvider: (input) =>
      g.providers.add(OPERATOR, {
        name: input.name,
        kind: input.kind ?? 'openai-compatible',
        baseUrl: input.url,
        region: input.region as never,
        chatModel: 'scripted-chat',
        embeddingModel: input.embeddingModel ?? 'scripted-embedding',
        retainsData: input.retainsData ?? false,
        ...(input.apiKey ? { apiKey: input.apiKey } : {}),
      }),
    close: () => db.close(),
  };
}
