import { safeEqualHex } from '../platform/crypto/tokens.js';
import { UnauthenticatedError } from '../platform/errors/errors.js';
import type { Actor, ActorProfile } from './actor.js';
import type { Company } from './companies/company-repository.js';
import type { GroupRepository } from './groups/group-repository.js';
import type { ApiKeyRepository } from './api-keys/api-key-repository.js';
import { parseApiKey } from './api-keys/api-key-token.js';
import type { CompanyRepository } from './companies/company-repository.js';
import type { CredentialCache } from './credential-cache.js';
import type { SessionService } from './sessions/session-service.js';

/**
 * Turns a bearer API key or a session cookie into an Actor. Verified credentials are cached for a
 * second (CredentialCache); key use is recorded in batches, not on every request.
 */
export class Authenticator {
  private readonly pendingTouches = new Map<string, Set<string>>();
  private touchTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly companies: CompanyRepository,
    private readonly groups: GroupRepository,
    private readonly sessions: SessionService,
    private readonly cache: CredentialCache,
    private readonly touchIntervalMs = 5_000,
  ) {}

  async fromApiKey(key: string): Promise<Actor> {
    const cached = this.cache.get(key);
    if (cached) {
      this.noteUse(cached);
      return cached;
    }
    const parsed = parseApiKey(key);
    const company = parsed && (await this.companies.findById(parsed.tenantId));
    const stored =
      parsed && company ? await this.keys.findActiveSecret(parsed.tenantId, parsed.id) : undefined;
    if (!parsed || !company || !stored || !safeEqualHex(stored.secretHash, parsed.secretHash)) {
      throw new UnauthenticatedError('The API key is invalid or revoked.', 'invalid_api_key');
    }
    const actor: Actor = {
      kind: 'api_key',
      id: parsed.id,
      role: stored.role,
      tenantId: company.id,
      groupId: company.groupId,
      profile: await this.profile(company, null),
    };
    this.cache.set(key, actor);
    this.noteUse(actor);
    return actor;
  }

  async fromSession(token: string): Promise<Actor | undefined> {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const session = await this.sessions.resolve(token);
    const company = session && (await this.companies.findById(session.tenantId));
    if (!session || !company) return undefined;
    const actor: Actor = {
      kind: 'user',
      id: session.userId,
      role: session.role,
      tenantId: company.id,
      groupId: company.groupId,
      session: { id: session.id, csrfToken: session.csrfToken },
      profile: await this.profile(company, session.user),
    };
    this.cache.set(token, actor);
    return actor;
  }

  private async profile(company: Company, user: ActorProfile['user']): Promise<ActorProfile> {
    const group = company.groupId ? await this.groups.findById(company.groupId) : undefined;
    return {
      company: {
        id: company.id,
        slug: company.slug,
        name: company.name,
        region: company.region,
        sector: company.sector,
      },
      group: group ? { id: group.id, slug: group.slug, name: group.name } : null,
      user,
    };
  }

  private noteUse(actor: Actor): void {
    if (!actor.tenantId) return;
    const ids = this.pendingTouches.get(actor.tenantId) ?? new Set<string>();
    ids.add(actor.id);
    this.pendingTouches.set(actor.tenantId, ids);
    this.touchTimer ??= setTimeout(() => void this.flushUse(), this.touchIntervalMs).unref();
  }

  /** Writes `last_used_at` for keys used since the last flush. */
  async flushUse(): Promise<void> {
    this.touchTimer = undefined;
    const batches = [...this.pendingTouches];
    this.pendingTouches.clear();
    for (const [tenantId, ids] of batches) await this.keys.touch(tenantId, [...ids]).catch(() => undefined);
  }
}
