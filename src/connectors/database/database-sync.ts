import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { DocumentRepository } from '../../ingest/documents/document-repository.js';
import type { IngestService } from '../../ingest/pipeline/ingest-service.js';
import type { IngestTracker } from '../../ingest/pipeline/ingest-tracker.js';
import { EVERYONE, resolvePrincipals } from '../acl.js';
import type { Source, SourceRepository } from '../source-repository.js';
import { BoundedTasks } from '../../platform/concurrency/bounded-tasks.js';
import { sameAcl } from '../../ingest/documents/same-acl.js';
import { indexRun, type FirstLoad } from '../sync/first-load.js';
import type { SyncStateEntry, SyncStateRepository } from '../sync/sync-state-repository.js';
import {
  databaseSettingsSchema,
  redactUrl,
  withPassword,
  type DatabaseSettings,
  type TableSpec,
} from './database-settings.js';
import { MysqlSource } from './mysql-source.js';
import { PostgresSource } from './postgres-source.js';
import { renderDefault, renderTemplate, valueText } from './render-row.js';
import { findTable, qualifiedName, type Row, type SqlSource, type TableInfo } from './sql-source.js';
import { SqliteSource } from './sqlite-source.js';

export interface DatabaseSyncDeps {
  sources: SourceRepository;
  documents: DocumentRepository;
  state: SyncStateRepository;
  ingest: () => Promise<IngestService>;
  findUserId: (tenantId: string, email: string) => Promise<string | undefined>;
  firstLoad?: FirstLoad;
}

/** Opens the source's database read-only; throws SourceUnavailableError when it cannot. */
export async function openSqlSource(
  kind: Source['kind'],
  settings: DatabaseSettings,
  password: string | null,
): Promise<SqlSource> {
  if (kind === 'sqlite') return SqliteSource.open(settings.path!);
  if (kind === 'postgres') return PostgresSource.connect(withPassword(settings.url!, password));
  if (kind === 'mysql') return MysqlSource.connect(withPassword(settings.url!, password));
  throw new Error(`${kind} is not a database source`);
}

interface PlannedTable {
  spec: TableSpec;
  table: TableInfo;
  /** The key columns; empty for a table without one, whose rows are told apart by their content. */
  key: string[];
  acl: string[];
  since: { column: string; value: unknown } | undefined;
}

type HighWater = Record<string, { value: unknown; date: boolean }>;

/**
 * Rows in flight: a row is a few hundred characters, so a group commit of many costs little more
 * than one of 8, and 64 fill the largest the documents' group commit takes (document-repository's
 * maxItems). bench:ingest-rows, 3,000 rows: 470–540 rows/s with 8 in flight; 847–953 with 32 and
 * 996–1,053 with 64 (embedded), 683–780 and 962–1,122 (server); 128 no better than 64.
 */
const ROWS_IN_FLIGHT = 64;

/** A table's rows under one external-id prefix: `<table as configured>/<key values>`. */
const prefixOf = (spec: TableSpec) => `${spec.name}/`;

/**
 * Database sources: each configured table's rows become records (`title` line, then the row
 * rendered by the table's template). Incremental by an `updatedAt` column when one is named (rows
 * at or after the last high-water mark), otherwise a full scan compared by content hash; deletions
 * found by a scan of the keys. A table that disappears keeps its documents and is named in the
 * run's warnings; an unreachable database fails the sync and deletes nothing.
 */
export class DatabaseSync {
  constructor(private readonly deps: DatabaseSyncDeps) {}

  async sync(tenantId: string, source: Source, tracker: IngestTracker, signal?: AbortSignal): Promise<void> {
    const settings = databaseSettingsSchema.parse(source.settings);
    const client = await openSqlSource(
      source.kind,
      settings,
      await this.deps.sources.findSecret(tenantId, source.id),
    );
    try {
      const tables = await client.describe();
      const stored = await this.deps.state.load(tenantId, source.id);
      const highWater: HighWater = { ...((source.state.highWater as HighWater | undefined) ?? {}) };
      const protectedPrefixes: string[] = [];
      const tableProblems: string[] = [];
      const plans: PlannedTable[] = [];
      const cache = new Map<string, string>();
      for (const spec of settings.tables) {
        const table = findTable(tables, spec.name);
        const problem = (message: string) => {
          tracker.warn(`${spec.name}: ${message}`);
          tableProblems.push(`${spec.name}: ${message}`);
          protectedPrefixes.push(prefixOf(spec));
        };
        if (!table) {
          problem('the table no longer exists (or this connection may not read it); its documents are kept.');
          continue;
        }
        const names = new Set(table.columns.map((c) => c.name));
        const key = spec.key ?? table.primaryKey;
        if (key.length === 0) {
          // A view, or a table without a key: indexed all the same, each row known by its values.
          tracker.warn(
            `${spec.name}: no primary key: its rows are told apart by their content (a changed row is replaced, identical rows are one record, every sync reads the whole table${spec.updatedAt ? ` and ${spec.updatedAt} is not used` : ''}); name its key columns (tables[].key) to keep its records stable.`,
          );
        }
        const missing = [...key, ...(spec.updatedAt ? [spec.updatedAt] : [])].filter(
          (column) => !names.has(column),
        );
        if (missing.length > 0) {
          problem(`no column ${missing.join(', ')} in the table; its documents are kept.`);
          continue;
        }
        const mark = highWater[spec.name];
        // Without a key, the rows not read could not be told from the rows deleted: read them all.
        const since =
          key.length > 0 && spec.updatedAt && mark
            ? { column: spec.updatedAt, value: mark.date ? new Date(String(mark.value)) : mark.value }
            : undefined;
        const acl = spec.acl
          ? await resolvePrincipals(spec.acl, (email) => this.deps.findUserId(tenantId, email), cache)
          : EVERYONE;
        plans.push({ spec, table, key, acl, since });
      }
      // A database's run counts rows, even when no table could be read.
      tracker.plan(0, 0, 'rows');
      let planned = 0;
      for (const plan of plans) {
        const rows = await client.count(plan.table, plan.since);
        tracker.plan(rows, 0, 'rows');
        planned += rows;
      }
      tracker.phase('indexing');
      await tracker.flush();

      const seen = new Set<string>();
      await indexRun(this.deps.firstLoad, tenantId, planned, tracker, async () => {
        // Rows go through the same pipeline as a folder's files: several in flight, so the
        // preparation threads and the database's group commit always have work.
        const inFlight = new BoundedTasks(ROWS_IN_FLIGHT);
        try {
          for (const plan of plans) {
            const columns = plan.table.columns.map((c) => c.name);
            for await (const rows of client.scan(plan.table, columns, plan.since)) {
              for (const row of rows) {
                signal?.throwIfAborted();
                await inFlight.add(() =>
                  this.record(tenantId, source, plan, row, stored, seen, tracker, highWater),
                );
              }
            }
            if (plan.since) {
              // Incremental: only changed rows were read; the keys tell which rows still exist.
              for await (const rows of client.scan(plan.table, plan.key))
                for (const row of rows) seen.add(this.externalId(plan, row));
            }
          }
        } catch (error) {
          // The scan or an abort stopped the loop: no row is still being written when it is reported.
          await inFlight.drain().catch(() => undefined);
          throw error;
        }
        await inFlight.drain();
      });

      tracker.phase('cleaning');
      const configured = settings.tables.map(prefixOf);
      for (const entry of stored.values()) {
        if (seen.has(entry.externalId)) continue;
        if (protectedPrefixes.some((prefix) => entry.externalId.startsWith(prefix))) continue;
        // A row gone from its table, or a table no longer configured: its document goes.
        const ofTable = configured.find((prefix) => entry.externalId.startsWith(prefix));
        if (ofTable === undefined || plans.some((p) => prefixOf(p.spec) === ofTable)) {
          signal?.throwIfAborted();
          if (await this.deps.documents.delete(tenantId, entry.id)) tracker.deleted();
        }
      }
      await this.deps.sources.setStatus(tenantId, source.id, {
        status: 'idle',
        // The source says which tables it could not read, until a sync reads them all again.
        lastError: tableProblems.length > 0 ? tableProblems.join('\n') : null,
        synced: true,
        state: { ...source.state, schema: tables, highWater },
      });
    } finally {
      await client.close();
    }
  }

  private externalId(plan: PlannedTable, row: Row): string {
    if (plan.key.length === 0) {
      const values = plan.table.columns.map((column) => valueText(row[column.name]));
      return `${prefixOf(plan.spec)}~${createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 32)}`;
    }
    return (
      prefixOf(plan.spec) + plan.key.map((column) => encodeURIComponent(valueText(row[column]))).join('/')
    );
  }

  private async record(
    tenantId: string,
    source: Source,
    plan: PlannedTable,
    row: Row,
    stored: Map<string, SyncStateEntry>,
    seen: Set<string>,
    tracker: IngestTracker,
    highWater: HighWater,
  ): Promise<void> {
    const externalId = this.externalId(plan, row);
    const name = qualifiedName(plan.table);
    // A row without a key is named by its first column's value.
    const named = plan.key.length > 0 ? plan.key : plan.table.columns.slice(0, 1).map((c) => c.name);
    const fallbackTitle = `${plan.spec.name} ${named.map((k) => valueText(row[k])).join(' ')}`.trim();
    const title = plan.spec.title
      ? renderTemplate(plan.spec.title, row).trim() || fallbackTitle
      : fallbackTitle;
    if (seen.has(externalId)) {
      // Identical rows of a table without a key are one record: the first one read stands for them.
      if (plan.key.length === 0) return tracker.record('unchanged', 0);
      // Key columns named in the settings need not be unique: the first row read is kept, and said so.
      return tracker.record('skipped', 0, {
        path: `${name} ${externalId}`,
        status: 'skipped',
        code: 'duplicate_key',
        message: `Another row has the same key (${plan.key.join(', ')}); only the first one read is indexed.`,
      });
    }
    seen.add(externalId);
    const body = plan.spec.template ? renderTemplate(plan.spec.template, row) : renderDefault(name, row);
    const text = `${title}\n${body}`;
    const bytes = Buffer.byteLength(text);
    if (plan.spec.updatedAt) {
      const value = row[plan.spec.updatedAt];
      const current = highWater[plan.spec.name];
      const comparable = (v: unknown) => (v instanceof Date ? v.getTime() : v);
      if (value !== null && value !== undefined) {
        const next = value instanceof Date ? value.toISOString() : value;
        const previous = current
          ? current.date
            ? new Date(String(current.value)).getTime()
            : current.value
          : undefined;
        if (
          previous === undefined ||
          (comparable(value) as number | string) > (previous as number | string)
        ) {
          highWater[plan.spec.name] = { value: next, date: value instanceof Date };
        }
      }
    }
    const existing = stored.get(externalId);
    const hash = createHash('sha256').update(text).digest('hex');
    if (
      existing &&
      existing.status === 'indexed' &&
      existing.errorCode === null &&
      existing.contentHash === hash &&
      sameAcl(existing.acl, plan.acl)
    ) {
      return tracker.record('unchanged', bytes);
    }
    const updated = plan.spec.updatedAt ? row[plan.spec.updatedAt] : undefined;
    const outcome = await (
      await this.deps.ingest()
    ).ingestText(
      tenantId,
      {
        sourceId: source.id,
        externalId,
        title,
        uri: `${source.kind === 'sqlite' ? pathToFileURL(String(source.settings.path)).href : redactUrl(String(source.settings.url))}#${encodeURIComponent(name)}/${externalId.slice(prefixOf(plan.spec).length)}`,
        sizeBytes: bytes,
        modifiedAt: updated instanceof Date ? updated : null,
        acl: plan.acl,
      },
      text,
      { heading: name, metadata: { format: 'database', table: name }, absent: existing === undefined },
    );
    if (outcome.status === 'failed' || outcome.status === 'skipped') {
      return tracker.record(outcome.status, bytes, {
        path: `${name} ${externalId}`,
        status: outcome.status,
        code: outcome.code,
        message: outcome.message,
      });
    }
    return tracker.record(outcome.status, bytes);
  }
}
