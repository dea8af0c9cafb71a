import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { DocumentRepository } from '../ingest/documents/document-repository.js';
import { isUniqueViolation } from '../platform/db/database.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
} from '../platform/errors/errors.js';
import {
  databaseSettingsSchema,
  redactUrl,
  splitCredentials,
  type DatabaseSettings,
} from './database/database-settings.js';
import { openSqlSource } from './database/database-sync.js';
import { findTable, qualifiedName, SourceUnavailableError, type TableInfo } from './database/sql-source.js';
import type { Actor } from '../tenancy/actor.js';
import { authorizeOn, type Action } from '../tenancy/policies.js';
import { isInside } from './folder/discover-folder.js';
import {
  folderSettingsPatchSchema,
  folderSettingsSchema,
  type FolderSettings,
} from './folder/folder-settings.js';
import type { Source, SourceRepository } from './source-repository.js';
import type { SyncStateRepository } from './sync/sync-state-repository.js';

const sourceName = z.string().trim().min(1).max(200);

const databaseSource = <K extends 'postgres' | 'mysql' | 'sqlite'>(kind: K) =>
  z.object({
    kind: z.literal(kind),
    name: sourceName.optional(),
    settings: databaseSettingsSchema,
    /** The database password, when not in the URL. Stored apart from the settings, never shown again. */
    password: z.string().max(1000).optional(),
  });

/** A folder (a path on the server), or a PostgreSQL, MySQL/MariaDB or SQLite database. */
export const createSourceInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder'), name: sourceName.optional(), settings: folderSettingsSchema }),
  databaseSource('postgres'),
  databaseSource('mysql'),
  databaseSource('sqlite'),
]);

/** Settings given are merged over the stored ones (folder: globs, ACL mapping; database: url, tables). */
export const updateSourceInput = z.object({
  name: sourceName.optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  password: z.string().max(1000).nullable().optional(),
});

const URL_PROTOCOLS: Record<string, string[]> = {
  postgres: ['postgres:', 'postgresql:'],
  mysql: ['mysql:', 'mariadb:'],
};

/** A source as shown to its company: settings, status, and how many documents it holds by status. */
export interface SourceView extends Source {
  documents: { indexed: number; failed: number; skipped: number };
}

/** The source `kura ingest <file>` and uploads go into: one per company, created on first use. */
export const UPLOAD_SOURCE_NAME = 'uploads';

export interface SourceServiceOptions {
  /** Folders under which non-operators may add folder sources; `{tenant}` is the company slug. */
  folderRoots: string[];
  companySlug: (tenantId: string) => Promise<string | undefined>;
}

/**
 * Sources of a company: created by its admins (folder roots limited to what the operator allows)
 * or by the operator's CLI (any folder on the server), listed with document counts, removed with
 * their documents.
 */
export class SourceService {
  constructor(
    private readonly sources: SourceRepository,
    private readonly documents: DocumentRepository,
    private readonly state: SyncStateRepository,
    private readonly options: SourceServiceOptions,
  ) {}

  async create(
    actor: Actor,
    tenantId: string,
    input: z.input<typeof createSourceInput>,
  ): Promise<SourceView> {
    this.check(actor, 'source.create', tenantId);
    const parsed = createSourceInput.parse(input);
    if (parsed.kind !== 'folder') return this.createDatabase(actor, tenantId, parsed);
    const settings = { ...parsed.settings, path: path.resolve(parsed.settings.path) };
    await this.checkFolderAllowed(actor, tenantId, settings.path);
    const source = await this.insert(tenantId, 'folder', parsed.name ?? settings.path, settings, null, false);
    return this.view(tenantId, source);
  }

  async list(actor: Actor, tenantId: string): Promise<SourceView[]> {
    this.check(actor, 'source.list', tenantId);
    const [sources, counts] = await Promise.all([
      this.sources.list(tenantId),
      this.state.countsBySource(tenantId),
    ]);
    return sources.map((source) => ({
      ...source,
      documents: counts.get(source.id) ?? { indexed: 0, failed: 0, skipped: 0 },
    }));
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<SourceView> {
    this.check(actor, 'source.read', tenantId);
    return this.view(tenantId, await this.require(tenantId, id));
  }

  /** Finds a source by id or by name (the CLI accepts either). */
  async resolve(actor: Actor, tenantId: string, idOrName: string): Promise<Source> {
    this.check(actor, 'source.read', tenantId);
    const byId = /^[0-9a-f-]{36}$/i.test(idOrName)
      ? await this.sources.findById(tenantId, idOrName)
      : undefined;
    const source = byId ?? (await this.sources.findByName(tenantId, idOrName));
    if (!source) throw new NotFoundError('Source');
    return source;
  }

  async update(
    actor: Actor,
    tenantId: string,
    id: string,
    input: z.input<typeof updateSourceInput>,
  ): Promise<SourceView> {
    this.check(actor, 'source.update', tenantId);
    const parsed = updateSourceInput.parse(input);
    const source = await this.require(tenantId, id);
    let settings = source.settings;
    let secret: string | null | undefined = parsed.password;
    if (parsed.settings && source.kind === 'folder') {
      const patch = folderSettingsPatchSchema.parse(parsed.settings);
      const merged: FolderSettings = folderSettingsSchema.parse({ ...source.settings, ...patch });
      merged.path = path.resolve(merged.path);
      if (merged.path !== source.settings.path) await this.checkFolderAllowed(actor, tenantId, merged.path);
      settings = merged;
    } else if (parsed.settings && source.kind !== 'upload') {
      const merged = databaseSettingsSchema.parse({ ...source.settings, ...parsed.settings });
      if (merged.url) {
        const split = splitCredentials(merged.url);
        merged.url = split.url;
        if (split.password !== null) secret = split.password;
      }
      if (merged.path && merged.path !== source.settings.path)
        await this.checkFolderAllowed(actor, tenantId, merged.path);
      settings = merged;
    } else if (parsed.settings) {
      throw new ConflictError('An upload source has no settings.', 'unsupported_source');
    }
    try {
      const updated = await this.sources.update(tenantId, id, {
        name: parsed.name ?? source.name,
        settings,
        ...(secret !== undefined ? { secret } : {}),
      });
      if (!updated) throw new NotFoundError('Source');
      return this.view(tenantId, updated);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`A source named "${parsed.name}" already exists.`, 'name_taken');
      throw error;
    }
  }

  /** Removes the source and every document it brought in (one by one, so search's postings follow). */
  async remove(actor: Actor, tenantId: string, id: string): Promise<void> {
    this.check(actor, 'source.delete', tenantId);
    const source = await this.require(tenantId, id);
    const documents = await this.state.load(tenantId, source.id);
    for (const document of documents.values()) await this.documents.delete(tenantId, document.id);
    await this.sources.delete(tenantId, source.id);
  }

  /** Source of `kura ingest <folder>`: one whose root is this folder or contains it, else a new one named after it. */
  async folderSourceFor(tenantId: string, folder: string): Promise<Source> {
    const absolute = path.resolve(folder);
    const covering = (await this.sources.list(tenantId))
      .filter((source) => source.kind === 'folder' && typeof source.settings.path === 'string')
      .filter((source) => isInside(source.settings.path as string, absolute))
      .sort((a, b) => (b.settings.path as string).length - (a.settings.path as string).length);
    if (covering[0]) return covering[0];
    return this.insert(
      tenantId,
      'folder',
      absolute,
      folderSettingsSchema.parse({ path: absolute }),
      null,
      true,
    );
  }

  /** The company's upload source (`uploads`), or another source of uploaded files by name; created on first use. */
  async uploadSource(tenantId: string, name = UPLOAD_SOURCE_NAME): Promise<Source> {
    const existing = await this.sources.findByName(tenantId, name);
    if (existing?.kind === 'upload') return existing;
    if (existing)
      throw new ConflictError(`A ${existing.kind} source is already named "${name}".`, 'name_taken');
    try {
      return await this.sources.insert(tenantId, {
        id: randomUUID(),
        kind: 'upload',
        name,
        settings: {},
        secret: null,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const raced = await this.sources.findByName(tenantId, name);
      if (raced?.kind === 'upload') return raced;
      throw error;
    }
  }

  private async insert(
    tenantId: string,
    kind: Source['kind'],
    name: string,
    settings: Record<string, unknown>,
    secret: string | null,
    renameOnConflict: boolean,
  ): Promise<Source> {
    for (let attempt = 1; ; attempt++) {
      const candidate = attempt === 1 ? name : `${name} (${attempt})`;
      try {
        return await this.sources.insert(tenantId, {
          id: randomUUID(),
          kind,
          name: candidate,
          settings,
          secret,
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (!renameOnConflict || attempt >= 20) {
          throw new ConflictError(`A source named "${candidate}" already exists.`, 'name_taken');
        }
      }
    }
  }

  /**
   * A database source: the password goes to the secret column, never the settings. The database is
   * reached once now (read-only) so a wrong URL, password or table name is answered at once, and
   * its tables, columns and keys are kept in the source's state for the analytics pillar.
   */
  private async createDatabase(
    actor: Actor,
    tenantId: string,
    input: Extract<z.infer<typeof createSourceInput>, { kind: 'postgres' | 'mysql' | 'sqlite' }>,
  ): Promise<SourceView> {
    const settings: DatabaseSettings = { ...input.settings };
    let secret: string | null = null;
    if (input.kind === 'sqlite') {
      if (!settings.path || settings.url)
        throw new InvalidRequestError('A SQLite source needs settings.path (the database file).');
      await this.checkFolderAllowed(actor, tenantId, settings.path);
    } else {
      if (!settings.url || settings.path)
        throw new InvalidRequestError(`A ${input.kind} source needs settings.url.`);
      let split;
      try {
        split = splitCredentials(settings.url);
      } catch (error) {
        throw new InvalidRequestError((error as Error).message, 'invalid_url');
      }
      if (!URL_PROTOCOLS[input.kind]!.includes(new URL(split.url).protocol)) {
        throw new InvalidRequestError(
          `A ${input.kind} URL starts with ${URL_PROTOCOLS[input.kind]!.join(' or ')}//.`,
          'invalid_url',
        );
      }
      settings.url = split.url;
      secret = input.password ?? split.password;
    }
    let schema: TableInfo[];
    try {
      const client = await openSqlSource(input.kind, settings, secret);
      try {
        schema = await client.describe();
      } finally {
        await client.close();
      }
    } catch (error) {
      if (error instanceof SourceUnavailableError)
        throw new InvalidRequestError(error.message, 'source_unreachable');
      throw error;
    }
    const missing = settings.tables
      .filter((table) => !findTable(schema, table.name))
      .map((table) => table.name);
    if (missing.length > 0) {
      throw new InvalidRequestError(
        `No table or view named ${missing.join(', ')} (found: ${schema.map(qualifiedName).slice(0, 30).join(', ') || 'none'}).`,
        'unknown_table',
      );
    }
    const name = input.name ?? (settings.url ? redactUrl(settings.url) : settings.path!);
    const source = await this.insert(tenantId, input.kind, name, settings, secret, false);
    await this.sources.setStatus(tenantId, source.id, { status: 'idle', state: { schema } });
    return this.view(tenantId, (await this.sources.findById(tenantId, source.id)) ?? source);
  }

  private async checkFolderAllowed(actor: Actor, tenantId: string, folder: string): Promise<void> {
    if (actor.kind === 'operator') return;
    const slug = await this.options.companySlug(tenantId);
    const roots = this.options.folderRoots.map((root) =>
      path.resolve(root.replaceAll('{tenant}', slug ?? '\0')),
    );
    const real = realOrResolved(folder);
    if (!roots.some((root) => isInside(realOrResolved(root), real))) {
      throw new ForbiddenError(
        roots.length === 0
          ? 'Folder sources are added by the operator (kura source add folder), unless KURA_FOLDER_ROOTS names folders companies may use.'
          : `The folder must lie under ${roots.join(' or ')}.`,
        'folder_not_allowed',
      );
    }
  }

  private async require(tenantId: string, id: string): Promise<Source> {
    const source = await this.sources.findById(tenantId, id);
    if (!source) throw new NotFoundError('Source');
    return source;
  }

  private async view(tenantId: string, source: Source): Promise<SourceView> {
    const counts = await this.state.countsBySource(tenantId, source.id);
    return { ...source, documents: counts.get(source.id) ?? { indexed: 0, failed: 0, skipped: 0 } };
  }

  private check(actor: Actor, action: Action, tenantId: string): void {
    authorizeOn(actor, action, { tenantId, groupId: null }, 'Source');
  }
}

function realOrResolved(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}
