import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isUniqueViolation } from '../../db/database.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../errors/errors.js';
import { GLOBAL_SCOPE } from '../../crypto/keyring.js';
import type { SecretSealer } from '../../crypto/secret-sealer.js';
import type { Actor } from '../../../tenancy/actor.js';
import { authorize } from '../../../tenancy/policies.js';
import { KNOWN_REGIONS } from '../../../governance/residency/regions.js';
import { PROVIDER_KINDS, type Provider } from './provider.js';
import type { ProviderRepository, ProviderWithSealedKey } from './provider-repository.js';

export const addProviderInput = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'a provider name looks like jp-azure or onprem-vllm'),
  kind: z.enum(PROVIDER_KINDS),
  baseUrl: z
    .url()
    .max(500)
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'the base URL must be http(s)'),
  apiKey: z.string().min(1).max(4000).optional(),
  region: z.enum(KNOWN_REGIONS, { message: `region must be one of ${KNOWN_REGIONS.join(', ')}` }),
  chatModel: z.string().trim().min(1).max(200),
  embeddingModel: z.string().trim().min(1).max(200).optional(),
  retainsData: z.boolean().default(false),
});

/** A provider with its API key opened: only the gateway holds one, for the duration of a call. */
export interface ProviderWithCredentials extends Provider {
  apiKey: string | null;
}

const visible = ({ sealedApiKey: _key, ...provider }: ProviderWithSealedKey): Provider => provider;

/**
 * The operator's model providers; credentials sealed with the 'global' data key. The gateway reads
 * the registry on every call, so it is kept for up to `ttlMs` (changes here apply at once).
 */
export class ProviderService {
  private cached: { until: number; list: Promise<ProviderWithSealedKey[]> } | undefined;

  constructor(
    private readonly providers: ProviderRepository,
    private readonly sealer: SecretSealer,
    private readonly ttlMs = 1_000,
  ) {}

  async add(actor: Actor, input: z.input<typeof addProviderInput>): Promise<Provider> {
    authorize(actor, 'provider.create');
    const parsed = addProviderInput.parse(input);
    if (parsed.kind !== 'openai-compatible' && !parsed.apiKey)
      throw new InvalidRequestError(`a ${parsed.kind} provider needs an API key (--api-key-stdin)`);
    this.cached = undefined;
    try {
      return await this.insert(parsed);
    } finally {
      this.cached = undefined;
    }
  }

  private async insert(parsed: z.infer<typeof addProviderInput>): Promise<Provider> {
    try {
      return visible(
        await this.providers.insert({
          id: randomUUID(),
          name: parsed.name,
          kind: parsed.kind,
          baseUrl: parsed.baseUrl,
          sealedApiKey: parsed.apiKey ? await this.sealer.seal(GLOBAL_SCOPE, parsed.apiKey) : null,
          region: parsed.region,
          chatModel: parsed.chatModel,
          embeddingModel: parsed.embeddingModel ?? null,
          retainsData: parsed.retainsData,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`a provider named "${parsed.name}" exists`, 'provider_exists');
      throw error;
    }
  }

  async list(actor: Actor): Promise<Provider[]> {
    authorize(actor, 'provider.list');
    return (await this.providers.list()).map(visible);
  }

  async remove(actor: Actor, name: string): Promise<void> {
    authorize(actor, 'provider.delete');
    this.cached = undefined;
    const removed = await this.providers.deleteByName(name);
    this.cached = undefined;
    if (!removed) throw new NotFoundError(`Provider "${name}"`);
  }

  /** For the gateway: every provider, credentials still sealed (opened per call by `withCredentials`). */
  async all(): Promise<Provider[]> {
    return (await this.registry()).map(visible);
  }

  async withCredentials(name: string): Promise<ProviderWithCredentials | undefined> {
    const stored = (await this.registry()).find((p) => p.name === name);
    if (!stored) return undefined;
    const apiKey = stored.sealedApiKey ? await this.sealer.open(GLOBAL_SCOPE, stored.sealedApiKey) : null;
    return { ...visible(stored), apiKey };
  }

  private registry(): Promise<ProviderWithSealedKey[]> {
    const now = Date.now();
    if (!this.cached || this.cached.until <= now) {
      const list = this.providers.list();
      this.cached = { until: now + this.ttlMs, list };
      list.catch(() => (this.cached = undefined));
    }
    return this.cached.list;
  }
}
