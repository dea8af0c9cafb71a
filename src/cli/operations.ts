import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { OPERATOR } from '../tenancy/actor.js';
import { USER_ROLES, COMPANY_ROLES, SECTORS } from '../tenancy/roles.js';
import { InvalidRequestError } from '../platform/errors/errors.js';
import type { Runtime } from './runtime.js';
import { aclRuleSchema } from '../connectors/acl.js';
import { tableSpecSchema } from '../connectors/database/database-settings.js';
import type { Source } from '../connectors/source-repository.js';
import type { Company } from '../tenancy/companies/company-repository.js';
import { IngestTracker, type IngestProgress, type IngestSummary } from '../ingest/pipeline/ingest-tracker.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { governanceOperations } from './governance-operations.js';
import { auditOperations } from './audit-operations.js';
import { keyOperations } from './key-operations.js';
import { backupOperations } from './backup-operations.js';
import { groupBudgetOperations } from './group-budget-operations.js';

/** A company as `kura tenant list` shows it: with its group's slug. */
export interface ListedCompany extends Company {
  group: string | null;
}

/** What a caller in the same process may pass besides the arguments (never over the socket). */
export interface OperationHooks {
  progress?: (progress: IngestProgress) => void;
}

interface Operation<S extends z.ZodType> {
  args: S;
  run: (rt: Runtime, args: z.infer<S>, hooks: OperationHooks) => Promise<unknown>;
}

const define = <S extends z.ZodType>(args: S, run: Operation<S>['run']): Operation<S> => ({ args, run });

/**
 * What the operator's CLI can do, as named operations with zod-checked arguments. A CLI command runs
 * one locally, or — when a server holds the embedded data directory — sends it to that server over
 * its operator socket (see operator-socket.ts), which runs the very same function.
 */
/** `<source>` or `--all`: the sources of a company a command acts on. */
const sourceSelection = z
  .object({ tenant: z.string(), source: z.string().optional(), all: z.boolean().optional() })
  .refine((a) => (a.source !== undefined) !== (a.all === true), { message: 'name one source, or use --all' });

async function selectSources(
  rt: Runtime,
  a: z.infer<typeof sourceSelection>,
): Promise<{ tenantId: string; sources: Source[] }> {
  const company = await rt.tenancy.companies.requireBySlug(a.tenant);
  const sources = a.all
    ? await rt.connectors.sources.list(OPERATOR, company.id)
    : [await rt.connectors.sources.resolve(OPERATOR, company.id, a.source!)];
  return { tenantId: company.id, sources };
}

const ingestArgs = z.object({ tenant: z.string(), paths: z.array(z.string().min(1)).min(1).max(1000) });

const operations = {
  'group.create': define(z.object({ slug: z.string(), name: z.string() }), (rt, a) =>
    rt.tenancy.groups.create(OPERATOR, a),
  ),
  'group.list': define(z.object({}), (rt) => rt.tenancy.groups.list(OPERATOR)),
  'tenant.list': define(z.object({}), async (rt): Promise<ListedCompany[]> => {
    const groups = new Map((await rt.tenancy.groups.list(OPERATOR)).map((g) => [g.id, g.slug]));
    const companies = await rt.tenancy.companies.list(OPERATOR);
    return companies
      .map((c) => ({ ...c, group: c.groupId ? (groups.get(c.groupId) ?? null) : null }))
      .sort((a, b) => a.slug.localeCompare(b.slug));
  }),
  'tenant.create': define(
    z.object({
      slug: z.string(),
      name: z.string(),
      group: z.string().optional(),
      region: z.string().optional(),
      sector: z.enum(SECTORS).optional(),
    }),
    async (rt, a) => {
      const group = a.group ? await rt.tenancy.groups.requireBySlug(a.group) : undefined;
      const company = await rt.tenancy.companies.create(OPERATOR, {
        slug: a.slug,
        name: a.name,
        groupId: group?.id ?? null,
        ...(a.region ? { region: a.region } : {}),
        ...(a.sector ? { sector: a.sector } : {}),
      });
      // The residency policy its sector's preset gave it, for the command to show.
      return { ...company, policy: await rt.governance.residency.get(OPERATOR, company.id) };
    },
  ),
  ...governanceOperations,
  'user.create': define(
    z.object({
      tenant: z.string(),
      email: z.string(),
      role: z.enum(USER_ROLES),
      name: z.string().optional(),
      password: z.string().optional(),
    }),
    async (rt, a) => {
      const company = await rt.tenancy.companies.requireBySlug(a.tenant);
      if (a.role === 'group_admin' && !company.groupId) {
        throw new InvalidRequestError(
          `company "${a.tenant}" belongs to no group: a group_admin there would manage nothing`,
        );
      }
      return rt.tenancy.users.create(OPERATOR, company.id, {
        email: a.email,
        role: a.role,
        ...(a.name ? { name: a.name } : {}),
        ...(a.password ? { password: a.password } : {}),
      });
    },
  ),
  'tenant.set-sso': define(
    z.object({
      tenant: z.string(),
      issuer: z.string(),
      clientId: z.string(),
      clientSecret: z.string().optional(),
      defaultRole: z.enum(COMPANY_ROLES).optional(),
    }),
    async (rt, a) => {
      const company = await rt.tenancy.companies.requireBySlug(a.tenant);
      return rt.tenancy.sso.configure(OPERATOR, company.id, {
        issuer: a.issuer,
        clientId: a.clientId,
        ...(a.clientSecret !== undefined ? { clientSecret: a.clientSecret } : {}),
        ...(a.defaultRole ? { defaultRole: a.defaultRole } : {}),
      });
    },
  ),
  'apikey.create': define(
    z.object({ tenant: z.string(), role: z.enum(COMPANY_ROLES).optional(), name: z.string().optional() }),
    async (rt, a) => {
      const company = await rt.tenancy.companies.requireBySlug(a.tenant);
      return rt.tenancy.apiKeys.create(OPERATOR, company.id, {
        ...(a.role ? { role: a.role } : {}),
        ...(a.name ? { name: a.name } : {}),
      });
    },
  ),
  'source.add': define(
    z.object({
      tenant: z.string(),
      kind: z.enum(['folder', 'postgres', 'mysql', 'sqlite']),
      path: z.string().optional(),
      url: z.string().optional(),
      password: z.string().optional(),
      name: z.string().optional(),
      include: z.array(z.string()).optional(),
      exclude: z.array(z.string()).optional(),
      acl: z.array(aclRuleSchema).optional(),
      tables: z.array(tableSpecSchema).optional(),
    }),
    async (rt, a) => {
      const company = await rt.tenancy.companies.requireBySlug(a.tenant);
      const name = a.name ? { name: a.name } : {};
      if (a.kind === 'folder') {
        if (!a.path) throw new InvalidRequestError('a folder source needs --path');
        return rt.connectors.sources.create(OPERATOR, company.id, {
          kind: 'folder',
          ...name,
          settings: { path: a.path, include: a.include ?? [], exclude: a.exclude ?? [], acl: a.acl ?? [] },
        });
      }
      const location = a.kind === 'sqlite' ? { path: a.path } : { url: a.url };
      return rt.connectors.sources.create(OPERATOR, company.id, {
        kind: a.kind,
        ...name,
        settings: { ...location, tables: a.tables ?? [] },
        ...(a.password !== undefined ? { password: a.password } : {}),
      });
    },
  ),
  'source.list': define(z.object({ tenant: z.string() }), async (rt, a) => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    return rt.connectors.sources.list(OPERATOR, company.id);
  }),
  'source.remove': define(sourceSelection, async (rt, a) => {
    const { tenantId, sources } = await selectSources(rt, a);
    for (const source of sources) await rt.connectors.sources.remove(OPERATOR, tenantId, source.id);
    return { removed: sources.map((source) => source.name) };
  }),
  /** Enqueues a sync job per source (a server runs them); returns the jobs. */
  'source.sync': define(sourceSelection, async (rt, a) => {
    const { tenantId, sources } = await selectSources(rt, a);
    const jobs = [];
    for (const source of sources) {
      jobs.push(
        await rt.jobs.enqueue(
          'source.sync',
          { tenantId, sourceId: source.id },
          { tenantId, dedupeKey: `source.sync:${source.id}` },
        ),
      );
    }
    return { jobs };
  }),
  /** Syncs the sources here and now, reporting progress to the caller in this process. */
  'source.sync-now': define(sourceSelection, async (rt, a, hooks): Promise<IngestSummary> => {
    const { tenantId, sources } = await selectSources(rt, a);
    const tracker = new IngestTracker(hooks.progress, 100);
    for (const source of sources) {
      try {
        await rt.connectors.sync.syncSource(tenantId, source.id, tracker);
      } catch (error) {
        if (sources.length === 1) throw error;
        tracker.warn(`${source.name}: ${(error as Error).message}`);
      }
    }
    return tracker.summary();
  }),
  /** `kura ingest` through a server: the server reads the paths itself, in a job; returns the job. */
  'ingest.start': define(ingestArgs, async (rt, a) => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    await requireSomePath(a.paths);
    return rt.jobs.enqueue(
      'ingest.paths',
      { tenantId: company.id, paths: a.paths },
      { tenantId: company.id },
    );
  }),
  /** `kura ingest` in this process, with progress. */
  'ingest.run': define(ingestArgs, async (rt, a, hooks): Promise<IngestSummary> => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    await requireSomePath(a.paths);
    const tracker = new IngestTracker(hooks.progress, 100);
    await rt.connectors.sync.ingestPaths(company.id, a.paths, tracker);
    return tracker.summary();
  }),
  'job.get': define(z.object({ tenant: z.string(), id: z.string().uuid() }), async (rt, a) => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    const job = await rt.jobs.repository.findForTenant(company.id, a.id);
    if (!job) throw new NotFoundError('Job');
    return job;
  }),
  /** `kura search`: the operator's search of one company (document ACLs do not apply to the operator). */
  'assistant.ask': define(z.object({ tenant: z.string(), question: z.string() }), async (rt, a) => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    return rt.assistant.ask.ask(OPERATOR, company.id, { question: a.question });
  }),
  'search.query': define(
    z.object({
      tenant: z.string(),
      q: z.string(),
      limit: z.number().int().min(1).max(50).optional(),
      source: z.string().optional(),
      type: z.string().optional(),
      from: z.string().optional(),
      to: z.string().optional(),
      metadata: z.string().optional(),
    }),
    async (rt, a) => {
      const company = await rt.tenancy.companies.requireBySlug(a.tenant);
      const search = await rt.knowledge.search();
      return search.search(OPERATOR, company.id, {
        q: a.q,
        limit: a.limit,
        source: a.source,
        type: a.type,
        from: a.from,
        to: a.to,
        metadata: a.metadata,
      });
    },
  ),
  /** `kura synonyms`: a company's search synonym dictionary. */
  'search.synonyms.get': define(z.object({ tenant: z.string() }), async (rt, a) => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    return rt.knowledge.synonyms.get(OPERATOR, company.id);
  }),
  'search.synonyms.set': define(
    z.object({ tenant: z.string(), groups: z.array(z.array(z.string())) }),
    async (rt, a) => {
      const company = await rt.tenancy.companies.requireBySlug(a.tenant);
      return rt.knowledge.synonyms.replace(OPERATOR, company.id, a.groups);
    },
  ),
  // Analytics (kura data …): the same service the API uses, as the operator.
  'data.ask': define(z.object({ tenant: z.string(), question: z.string() }), async (rt, a) => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    return rt.analytics.service.ask(OPERATOR, company.id, a.question);
  }),
  'data.model.get': define(z.object({ tenant: z.string() }), async (rt, a) => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    return rt.analytics.service.getModel(OPERATOR, company.id);
  }),
  'data.model.set': define(z.object({ tenant: z.string(), yaml: z.string() }), async (rt, a) => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    return rt.analytics.service.setModel(OPERATOR, company.id, a.yaml);
  }),
  'data.model.propose': define(z.object({ tenant: z.string(), source: z.string() }), async (rt, a) => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    return rt.analytics.service.proposeModel(OPERATOR, company.id, a.source);
  }),
  'data.tables': define(z.object({ tenant: z.string(), source: z.string().optional() }), async (rt, a) => {
    const company = await rt.tenancy.companies.requireBySlug(a.tenant);
    return rt.analytics.service.listTables(OPERATOR, company.id, a.source);
  }),
  ...auditOperations,
  ...keyOperations,
  ...backupOperations,
  ...groupBudgetOperations,
};

/** Nothing to do at all is an error (exit 1); some missing paths are warnings of the run. */
async function requireSomePath(paths: string[]): Promise<void> {
  const found = await Promise.all(
    paths.map((p) =>
      stat(p).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (!found.some(Boolean)) {
    throw new InvalidRequestError(
      `${paths.length === 1 ? `${paths[0]} does not exist` : 'none of the paths exists'} (or cannot be read).`,
      'path_not_found',
    );
  }
}

export type OperationName = keyof typeof operations;

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(operations, name);
}

export async function runOperation(
  rt: Runtime,
  name: OperationName,
  args: unknown,
  hooks: OperationHooks = {},
): Promise<unknown> {
  const operation = operations[name] as Operation<z.ZodType>;
  const parsed: unknown = operation.args.parse(args);
  const result = await operation.run(rt, parsed, hooks);
  // What the operator changed or read goes into the company's audit log, like an API call.
  await rt.governance.operatorAudit.record(name, parsed, result);
  return result;
}
