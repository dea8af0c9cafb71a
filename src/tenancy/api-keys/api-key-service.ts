import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../actor.js';
import type { CredentialCache } from '../credential-cache.js';
import { authorizeOn, type Action } from '../policies.js';
import { COMPANY_ROLES } from '../roles.js';
import type { ApiKey, ApiKeyRepository } from './api-key-repository.js';
import { mintApiKey } from './api-key-token.js';

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1).max(200).default('API key'),
  role: z.enum(COMPANY_ROLES).default('member'),
});

export class ApiKeyService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly cache: CredentialCache,
  ) {}

  /** Returns the key in clear exactly once; only its hash is stored. */
  async create(
    actor: Actor,
    tenantId: string,
    input: z.input<typeof createApiKeyInput>,
  ): Promise<{ apiKey: ApiKey; key: string }> {
    const parsed = createApiKeyInput.parse(input);
    this.check(actor, 'apikey.create', tenantId);
    const id = randomUUID();
    const minted = mintApiKey(id, tenantId);
    const apiKey = await this.keys.insert(tenantId, {
      id,
      name: parsed.name,
      prefix: minted.prefix,
      secretHash: minted.secretHash,
      role: parsed.role,
      createdBy: actor.kind === 'user' ? actor.id : null,
    });
    return { apiKey, key: minted.key };
  }

  async list(actor: Actor, tenantId: string): Promise<ApiKey[]> {
    this.check(actor, 'apikey.list', tenantId);
    return this.keys.list(tenantId);
  }

  async revoke(actor: Actor, tenantId: string, id: string): Promise<ApiKey> {
    this.check(actor, 'apikey.revoke', tenantId);
    const revoked = await this.keys.revoke(tenantId, id);
    if (!revoked) throw new NotFoundError('API key');
    this.cache.evict(id);
    return revoked;
  }

  private check(actor: Actor, action: Action, tenantId: string): void {
    authorizeOn(actor, action, { tenantId, groupId: null }, 'API key');
  }
}
