import { findTable, qualifiedName, type TableInfo } from '../../connectors/database/sql-source.js';
import { databaseSettingsSchema } from '../../connectors/database/database-settings.js';
import { openSqlSource } from '../../connectors/database/database-sync.js';
import type { Source, SourceRepository } from '../../connectors/source-repository.js';
import { InvalidRequestError, NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import { authorizeOn, type Action } from '../../tenancy/policies.js';
import { chartFor, type ChartSpec } from '../charts/chart-spec.js';
import { narrativeFor } from '../charts/narrative.js';
import { KuraExecutor } from '../engine/kura-executor.js';
import { openExecutor } from '../engine/open-executor.js';
import { DataSourceUnavailableError, type QueryExecutor } from '../engine/query-executor.js';
import { runSemanticQuery, type QueryResult } from '../engine/run-query.js';
import { allowedFromTables } from '../guard/allowed-objects.js';
import { guardSql } from '../guard/sql-guard.js';
import { modelToYaml, parseModelYaml } from '../model/model-yaml.js';
import { proposeModel } from '../model/propose-model.js';
import type { SemanticModel } from '../model/semantic-model.js';
import { parseQuestion, type Clarification } from '../nl/parse-question.js';
import { DIALECTS } from '../query/dialects.js';
import { semanticQuerySchema, type SemanticQuery } from '../query/semantic-query.js';
import { InvalidQueryError } from '../query/query-errors.js';
import type { ModelRepository, StoredModel } from './model-repository.js';
import type { QueryProposer } from './query-proposer.js';
import { ResultCache } from './result-cache.js';
import type { Database } from '../../platform/db/database.js';
import type { BuildProgress } from '../rollups/rollup-builder.js';
import type { RollupEntry } from '../rollups/rollup-repository.js';
import type { Rollups } from '../rollups/rollups.js';
import { labelUploadedModel } from '../tables/label-uploaded-model.js';
import { UPLOADED_SOURCE, type UploadedTableStore } from '../tables/uploaded-table-store.js';

/** A database source, or the tables the company uploaded (loaded into its schema of Kura's database). */
type DataSource = Source | { kind: 'uploaded'; name: string; id: string };

export interface AnalyticsLimits {
  maxRows: number;
  timeoutMs: number;
}

export interface AnalyticsDeps {
  models: ModelRepository;
  sources: SourceRepository;
  limits: AnalyticsLimits;
  now?: () => Date;
  /** Set by the lead once the model gateway lands; offline parsing otherwise. */
  proposer?: QueryProposer;
  /** Uploaded sheets as tables in Kura's own database (the source named UPLOADED_SOURCE). */
  uploaded?: { db: Database; store: UploadedTableStore };
  /** Pre-aggregated rollups: queries they answer exactly are read from them. */
  rollups?: Rollups;
}

export interface Answer extends QueryResult {
  kind: 'answer';
  chart: ChartSpec;
  narrative: string;
  modelVersion: number;
  parser: string;
}
export type AskResponse = Answer | (Clarification & { modelVersion: number });

const MASKED = '***';
const SEES_PERSONAL = new Set(['operator', 'admin']);

/**
 * The data pillar for one company: its semantic model (YAML, versioned), questions and semantic
 * queries run read-only against the company's own database, and raw SQL for admins — all through
 * the SQL guard.
 */
export class AnalyticsService {
  private readonly cache = new ResultCache<QueryResult>();
  private readonly now: () => Date;

  constructor(private readonly deps: AnalyticsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async getModel(actor: Actor, tenantId: string): Promise<StoredModel> {
    this.authorize(actor, 'data.model.read', tenantId);
    return this.requireModel(tenantId);
  }

  async setModel(actor: Actor, tenantId: string, yaml: string): Promise<StoredModel> {
    this.authorize(actor, 'data.model.update', tenantId);
    const model = parseModelYaml(yaml);
    await this.requireSource(tenantId, model.source);
    const saved = await this.deps.models.save(tenantId, {
      yaml,
      model,
      origin: 'edited',
      createdBy: actor.id || 'operator',
    });
    await this.deps.rollups?.requestRefresh(tenantId);
    return saved;
  }

  /**
   * Rebuilds the rollups of the model in force from its source (the `analytics.rollups.refresh`
   * job); drops them when the model or the configuration turns them off.
   */
  async refreshRollups(
    tenantId: string,
    progress?: (p: BuildProgress) => Promise<void>,
  ): Promise<RollupEntry[]> {
    const rollups = this.deps.rollups;
    // A model saved while this refresh ran found the job queued already (deduplicated): build again.
    for (let built = 0; rollups;) {
      const stored = await this.deps.models.current(tenantId);
      if (!stored) return [];
      if (stored.version === built) return rollups.repository.list(tenantId);
      const source = await this.requireSource(tenantId, stored.model.source);
      if (!rollups.enabledFor(stored.model, source.kind)) {
        await rollups.clear(tenantId);
        return [];
      }
      await rollups.refresh(tenantId, stored, () => this.open(tenantId, source), progress);
      built = stored.version;
    }
    return [];
  }

  /** A database source was synced: the rollups of a model reading it are refreshed. */
  async sourceSynced(tenantId: string, sourceId: string): Promise<void> {
    const stored = await this.deps.models.current(tenantId);
    if (!stored || !this.deps.rollups) return;
    const source = await this.requireSource(tenantId, stored.model.source).catch(() => undefined);
    if (source?.id === sourceId) await this.deps.rollups.requestRefresh(tenantId);
  }

  /** Drafts a model from a database source's schema and a sample of its rows, and saves it. */
  async proposeModel(actor: Actor, tenantId: string, sourceName: string): Promise<StoredModel> {
    this.authorize(actor, 'data.model.update', tenantId);
    const source = await this.requireSource(tenantId, sourceName);
    const executor = await this.open(tenantId, source);
    const connection = await this.describeSource(tenantId, source);
    try {
      const samples = new Map<string, Record<string, unknown>[]>();
      const allowed = allowedFromTables(connection);
      const dialect = DIALECTS[executor.dialect];
      for (const t of connection.slice(0, 100)) {
        const ref = `${t.schema && executor.dialect === 'postgres' ? `${dialect.quote(t.schema)}.` : ''}${dialect.quote(t.name)}`;
        const sql = `SELECT * FROM ${ref} LIMIT 1000`;
        await guardSql(sql, executor.dialect, allowed);
        samples.set(t.name, await executor.run(sql, [], { ...this.deps.limits, maxRows: 1000 }));
      }
      let model: SemanticModel;
      try {
        model = proposeModel(source.name, connection, samples);
        if (source.kind === 'uploaded')
          model = labelUploadedModel(model, await this.uploaded().store.describe(tenantId));
      } catch {
        throw new InvalidRequestError(
          `Found nothing to measure in "${source.name}" (no numeric columns or keyed tables).`,
          'nothing_to_model',
        );
      }
      const yaml = `# Proposed by Kura from ${source.name}: check the labels, synonyms and joins, then save it.\n${modelToYaml(model)}`;
      const saved = await this.deps.models.save(tenantId, {
        yaml,
        model,
        origin: 'proposed',
        createdBy: actor.id || 'operator',
      });
      await this.deps.rollups?.requestRefresh(tenantId);
      return saved;
    } finally {
      await executor.close();
    }
  }

  /** Tables (with columns) of the model's source, as the database describes them. */
  async listTables(actor: Actor, tenantId: string, sourceName?: string): Promise<TableInfo[]> {
    this.authorize(actor, 'data.tables.list', tenantId);
    const name = sourceName ?? (await this.requireModel(tenantId)).model.source;
    return this.describeSource(tenantId, await this.requireSource(tenantId, name));
  }

  async query(
    actor: Actor,
    tenantId: string,
    input: unknown,
  ): Promise<QueryResult & { modelVersion: number }> {
    this.authorize(actor, 'data.query', tenantId);
    const stored = await this.requireModel(tenantId);
    const query = this.validateQuery(input);
    const result = await this.run(actor, tenantId, stored, query);
    return { ...result, modelVersion: stored.version };
  }

  async ask(actor: Actor, tenantId: string, question: string): Promise<AskResponse> {
    this.authorize(actor, 'data.ask', tenantId);
    const text = question.trim();
    if (text.length === 0 || text.length > 1000)
      throw new InvalidRequestError('Ask a question of 1 to 1,000 characters.', 'invalid_question');
    const stored = await this.requireModel(tenantId);
    let outcome = this.deps.proposer
      ? await this.deps.proposer.propose(tenantId, text, stored.model, this.now())
      : null;
    let parser = this.deps.proposer && outcome ? this.deps.proposer.name : 'offline';
    if (!outcome) {
      outcome = parseQuestion(text, stored.model, this.now());
      parser = 'offline';
    }
    if (outcome.kind === 'clarification') return { ...outcome, modelVersion: stored.version };
    const query = this.validateQuery(outcome.query);
    const result = await this.run(actor, tenantId, stored, query);
    return {
      kind: 'answer',
      ...result,
      chart: chartFor(result),
      narrative: narrativeFor(result),
      modelVersion: stored.version,
      parser,
    };
  }

  /** SQL typed by an admin: the same guard (tables of the model's source only), read-only, limited. */
  async runSql(
    actor: Actor,
    tenantId: string,
    sql: string,
  ): Promise<{ columns: string[]; rows: Record<string, unknown>[]; truncated: boolean; notes: string[] }> {
    this.authorize(actor, 'data.sql', tenantId);
    const stored = await this.requireModel(tenantId);
    const source = await this.requireSource(tenantId, stored.model.source);
    const tables = await this.describeSource(tenantId, source);
    const executor = await this.open(tenantId, source);
    try {
      await guardSql(sql, executor.dialect, allowedFromTables(tables));
      // The database stops after one row more than the limit: a query over ten million rows reads
      // 10,001 of them, not all. Newlines keep a trailing -- comment from hiding the wrapper.
      const { maxRows } = this.deps.limits;
      const limited = `SELECT * FROM (\n${sql.replace(/;\s*$/u, '')}\n) AS kura_limited LIMIT ${maxRows + 1}`;
      const rows = await executor.run(limited, [], this.deps.limits);
      const truncated = rows.length > maxRows;
      return {
        columns: Object.keys(rows[0] ?? {}),
        rows: rows.slice(0, maxRows),
        truncated,
        notes: truncated
          ? [`The result was limited to ${maxRows.toLocaleString('en')} rows; the query returns more.`]
          : [],
      };
    } finally {
      await executor.close();
    }
  }

  private validateQuery(input: unknown): SemanticQuery {
    const parsed = semanticQuerySchema.safeParse(input);
    if (!parsed.success)
      throw new InvalidQueryError(
        `The query is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    return parsed.data;
  }

  private async run(
    actor: Actor,
    tenantId: string,
    stored: StoredModel,
    query: SemanticQuery,
  ): Promise<QueryResult> {
    const key = ResultCache.key(tenantId, stored.version, query);
    let result = this.cache.get(key);
    if (!result) {
      // A rollup when one answers exactly, else the source.
      result =
        (await this.deps.rollups?.answer(tenantId, stored, query, this.deps.limits)) ??
        (await this.fromSource(tenantId, stored, query));
      this.cache.set(key, result);
    }
    return this.mask(actor, stored.model, result);
  }

  private async fromSource(
    tenantId: string,
    stored: StoredModel,
    query: SemanticQuery,
  ): Promise<QueryResult> {
    const executor = await this.open(tenantId, await this.requireSource(tenantId, stored.model.source));
    try {
      return await runSemanticQuery(stored.model, query, executor, this.deps.limits);
    } finally {
      await executor.close();
    }
  }

  /** Personal-data dimensions are shown masked unless the caller's role allows. */
  private mask(actor: Actor, model: SemanticModel, result: QueryResult): QueryResult {
    if (SEES_PERSONAL.has(actor.role)) return result;
    const personal = new Set(model.dimensions.filter((d) => d.personal).map((d) => d.name));
    const masked = result.columns.filter(
      (c) =>
        c.role === 'dimension' &&
        personal.has(c.name.replace(/_(day|week|month|quarter|year|fiscal_year|fiscal_quarter)$/u, '')),
    );
    if (masked.length === 0) return result;
    return {
      ...result,
      rows: result.rows.map((r) => ({ ...r, ...Object.fromEntries(masked.map((c) => [c.name, MASKED])) })),
    };
  }

  private async open(tenantId: string, source: DataSource): Promise<QueryExecutor> {
    if (source.kind === 'uploaded') return new KuraExecutor(this.uploaded().db, tenantId);
    const settings = databaseSettingsSchema.safeParse(source.settings);
    if (!settings.success)
      throw new DataSourceUnavailableError(`The source "${source.name}" has no valid database settings.`);
    return openExecutor(source.kind, settings.data, await this.deps.sources.findSecret(tenantId, source.id));
  }

  private async describeSource(tenantId: string, source: DataSource): Promise<TableInfo[]> {
    if (source.kind === 'uploaded') return this.uploaded().store.describe(tenantId);
    const settings = databaseSettingsSchema.parse(source.settings);
    let client;
    try {
      client = await openSqlSource(
        source.kind,
        settings,
        await this.deps.sources.findSecret(tenantId, source.id),
      );
    } catch (error) {
      throw new DataSourceUnavailableError((error as Error).message);
    }
    try {
      const tables = await client.describe();
      const listed = settings.tables
        .map((t) => findTable(tables, t.name))
        .filter((t): t is TableInfo => t !== undefined);
      // Tables named in the source's settings limit what analytics reads; none named = all of them.
      return listed.length > 0
        ? listed
        : tables.filter((t) => !qualifiedName(t).startsWith('information_schema.'));
    } finally {
      await client.close();
    }
  }

  private uploaded() {
    if (!this.deps.uploaded) throw new DataSourceUnavailableError('Uploaded tables are not set up here.');
    return this.deps.uploaded;
  }

  private async requireSource(tenantId: string, name: string): Promise<DataSource> {
    if (name === UPLOADED_SOURCE && this.deps.uploaded) return { kind: 'uploaded', name, id: name };
    const source =
      (await this.deps.sources.findByName(tenantId, name)) ??
      (await this.deps.sources.findById(tenantId, name).catch(() => undefined));
    if (!source) throw new NotFoundError('Database source');
    if (!['postgres', 'mysql', 'sqlite'].includes(source.kind))
      throw new InvalidRequestError(
        `The source "${name}" is a ${source.kind} source, not a database.`,
        'not_a_database',
      );
    return source;
  }

  private async requireModel(tenantId: string): Promise<StoredModel> {
    const stored = await this.deps.models.current(tenantId);
    if (!stored)
      throw new NotFoundError(
        'Semantic model (propose one with POST /api/v1/data/model/propose or `kura data model set`)',
      );
    return stored;
  }

  private authorize(actor: Actor, action: Action, tenantId: string): void {
    authorizeOn(actor, action, { tenantId, groupId: actor.groupId }, 'Company');
  }
}
