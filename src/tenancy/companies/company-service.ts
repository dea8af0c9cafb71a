import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isUniqueViolation } from '../../platform/db/database.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
} from '../../platform/errors/errors.js';
import type { Actor } from '../actor.js';
import type { CredentialCache } from '../credential-cache.js';
import { authorize, authorizeOn, scopeFor } from '../policies.js';
import { SECTORS } from '../roles.js';
import { slugSchema } from '../slug.js';
import { slugHint } from '../slug-hint.js';
import type { GroupRepository } from '../groups/group-repository.js';
import type { Company, CompanyRepository } from './company-repository.js';

export const regionSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,30}$/, 'region must look like jp-east, jp-west, on-prem, us or eu');

export const createCompanyInput = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1).max(200),
  region: regionSchema.default('jp-east'),
  sector: z.enum(SECTORS).default('general'),
  /** The group the company joins; a group admin's own group when omitted. */
  groupId: z.string().uuid().nullish(),
});
export const updateCompanyInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  region: regionSchema.optional(),
});

export class CompanyService {
  constructor(
    private readonly companies: CompanyRepository,
    private readonly groups: GroupRepository,
    private readonly cache: CredentialCache,
    private readonly onCreated?: (company: Company) => Promise<unknown>,
    /** Runs after the rows are purged: governance destroys the data key and reclaims the space. */
    private readonly onRemoved?: (company: Company) => Promise<unknown>,
  ) {}

  async create(actor: Actor, input: z.input<typeof createCompanyInput>): Promise<Company> {
    const parsed = createCompanyInput.parse(input);
    authorize(actor, 'company.create');
    const groupId = parsed.groupId ?? (actor.role === 'operator' ? null : actor.groupId);
    // A group admin creates companies in its own group only; one whose company has no group creates none.
    if (actor.role !== 'operator' && (actor.groupId === null || groupId !== actor.groupId))
      throw new ForbiddenError();
    if (groupId && !(await this.groups.findById(groupId)))
      throw new InvalidRequestError('unknown group', 'unknown_group');
    const taken = () => new ConflictError(`slug "${parsed.slug}" is already taken`, 'slug_taken');
    if (await this.groups.slugTaken(parsed.slug)) throw taken();
    let company: Company;
    try {
      company = await this.companies.insert({
        id: randomUUID(),
        slug: parsed.slug,
        name: parsed.name,
        groupId,
        region: parsed.region,
        sector: parsed.sector,
      });
    } catch (error) {
      // Two requests for one slug at once: the unique index decides, the loser hears 409, not 500.
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
    await this.onCreated?.(company);
    return company;
  }

  async list(actor: Actor): Promise<Company[]> {
    const scope = scopeFor(actor, 'company.list');
    if (scope === 'any') return this.companies.listAll();
    if (scope === 'group' && actor.groupId) return this.companies.listByGroup(actor.groupId);
    const own = actor.tenantId ? await this.companies.findById(actor.tenantId) : undefined;
    return own ? [own] : [];
  }

  async get(actor: Actor, id: string): Promise<Company> {
    const company = await this.companies.findById(id);
    if (!company) throw new NotFoundError('Company');
    authorizeOn(actor, 'company.read', { tenantId: company.id, groupId: company.groupId }, 'Company');
    return company;
  }

  async update(actor: Actor, id: string, input: z.infer<typeof updateCompanyInput>): Promise<Company> {
    const company = await this.get(actor, id);
    authorizeOn(actor, 'company.update', { tenantId: company.id, groupId: company.groupId }, 'Company');
    const updated = await this.companies.update(id, input);
    if (!updated) throw new NotFoundError('Company');
    return updated;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const company = await this.get(actor, id);
    authorizeOn(actor, 'company.delete', { tenantId: company.id, groupId: company.groupId }, 'Company');
    if (company.id === actor.tenantId)
      throw new ConflictError('a company cannot delete itself', 'cannot_delete_self');
    await this.companies.purge(company.id);
    // Its keys and sessions are gone from the database; cached ones must not outlive them.
    this.cache.evictTenant(company.id);
    await this.onRemoved?.(company);
  }

  /** The operator's commands (the CLI) name companies by slug; a wrong one hears which there are. */
  async requireBySlug(slug: string): Promise<Company> {
    const company = await this.companies.findBySlug(slug);
    if (company) return company;
    const slugs = (await this.companies.listAll()).map((c) => c.slug);
    throw new NotFoundError(`Company "${slug}"`, slugHint('companies', slugs, 'kura tenant list'));
  }
}
