import { z } from 'zod';
import { NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import type { CompanyRepository } from '../../tenancy/companies/company-repository.js';
import { authorizeOn, type Action } from '../../tenancy/policies.js';
import { megabytes, QuotaExceededError } from './quota-errors.js';
import type { CompanyQuota, QuotaRepository } from './quota-repository.js';

/** null lifts a limit; a field left out keeps its value. */
export const setQuotaInput = z
  .object({
    requestsPerMinute: z.number().int().min(1).max(1_000_000).nullable().optional(),
    storageMb: z.number().min(0).max(1e9).nullable().optional(),
    monthlyTokens: z.number().int().min(0).max(1e15).nullable().optional(),
  })
  .strict();

export interface QuotaView {
  tenantId: string;
  requestsPerMinute: number | null;
  storageMb: number | null;
  monthlyTokens: number | null;
  updatedAt: string | null;
  usage: { storageBytes: number };
}

const MB = 1024 * 1024;

/** Per-company limits: who may read and set them, and the cached view the request path checks. */
export class QuotaService {
  private readonly cache = new Map<string, { quota: CompanyQuota; until: number }>();

  constructor(
    private readonly quotas: QuotaRepository,
    private readonly companies: CompanyRepository,
    private readonly cacheMs = 1_000,
  ) {}

  async get(actor: Actor, tenantId: string): Promise<QuotaView> {
    await this.authorize(actor, 'quota.read', tenantId);
    return this.view(tenantId, await this.quotas.get(tenantId));
  }

  async set(actor: Actor, tenantId: string, input: z.input<typeof setQuotaInput>): Promise<QuotaView> {
    await this.authorize(actor, 'quota.update', tenantId);
    const changes = setQuotaInput.parse(input);
    const quota = await this.quotas.set(tenantId, {
      ...(changes.requestsPerMinute !== undefined ? { requestsPerMinute: changes.requestsPerMinute } : {}),
      ...(changes.storageMb !== undefined
        ? { storageBytes: changes.storageMb === null ? null : Math.round(changes.storageMb * MB) }
        : {}),
      ...(changes.monthlyTokens !== undefined ? { monthlyTokens: changes.monthlyTokens } : {}),
    });
    this.cache.delete(tenantId);
    return this.view(tenantId, quota);
  }

  /** The limits as the request path sees them: at most `cacheMs` old (a change elsewhere lands within it). */
  async limits(tenantId: string, now = Date.now()): Promise<CompanyQuota> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > now) return hit.quota;
    const quota = await this.quotas.get(tenantId);
    this.cache.set(tenantId, { quota, until: now + this.cacheMs });
    return quota;
  }

  /**
   * Refuses `addBytes` more when the company's storage cap would be passed. `replacingBytes` are
   * the bytes of the version being replaced (a changed file only adds the difference).
   */
  async admitStorage(tenantId: string, addBytes: number, replacingBytes = 0): Promise<void> {
    const { storageBytes: cap } = await this.limits(tenantId);
    if (cap === null) return;
    const used = await this.quotas.storageUsed(tenantId);
    if (used - replacingBytes + addBytes <= cap) return;
    throw new QuotaExceededError(
      'storage',
      `Your company's storage quota is ${megabytes(cap)} and ${megabytes(used)} is in use; ` +
        `${megabytes(addBytes)} more does not fit. Delete documents or ask your operator to raise the quota.`,
      { limitBytes: cap, usedBytes: used, requestedBytes: addBytes },
    );
  }

  private async authorize(actor: Actor, action: Action, tenantId: string): Promise<void> {
    const company = await this.companies.findById(tenantId);
    if (!company) throw new NotFoundError('Company');
    authorizeOn(actor, action, { tenantId, groupId: company.groupId }, 'Company');
  }

  private async view(tenantId: string, quota: CompanyQuota): Promise<QuotaView> {
    return {
      tenantId,
      requestsPerMinute: quota.requestsPerMinute,
      storageMb: quota.storageBytes === null ? null : quota.storageBytes / MB,
      monthlyTokens: quota.monthlyTokens,
      updatedAt: quota.updatedAt,
      usage: { storageBytes: await this.quotas.storageUsed(tenantId) },
    };
  }
}
