import type { Database } from '../../platform/db/database.js';
import type { DocumentStatus } from '../../ingest/documents/document-types.js';

/** What a sync needs to know of each document it has stored before, to decide without reading the file. */
export interface SyncStateEntry {
  id: string;
  externalId: string;
  sizeBytes: number;
  modifiedAtMs: number | null;
  status: DocumentStatus;
  errorCode: string | null;
  errorMessage: string | null;
  acl: string[];
  contentHash: string | null;
  mimeType: string | null;
  /** The version of its format's reader that read it (parsers/reader-versions.ts). */
  readerVersion: number;
}

interface Row {
  id: string;
  external_id: string;
  size_bytes: string | number;
  modified_at: Date | null;
  status: DocumentStatus;
  error_code: string | null;
  error_message: string | null;
  acl: string[];
  content_hash: string | null;
  mime_type: string | null;
  reader_version: number;
}

const COLUMNS =
  'id, external_id, size_bytes, modified_at, status, error_code, error_message, acl, content_hash, mime_type, reader_version';

const toEntry = (row: Row): SyncStateEntry => ({
  id: row.id,
  externalId: row.external_id,
  sizeBytes: Number(row.size_bytes),
  modifiedAtMs: row.modified_at?.getTime() ?? null,
  status: row.status,
  errorCode: row.error_code,
  errorMessage: row.error_message,
  acl: row.acl,
  contentHash: row.content_hash,
  mimeType: row.mime_type,
  readerVersion: row.reader_version,
});

/** Reads the incremental state of a source from its documents (one query, no chunks). */
export class SyncStateRepository {
  constructor(private readonly db: Database) {}

  async load(tenantId: string, sourceId: string): Promise<Map<string, SyncStateEntry>> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<Row>(`SELECT ${COLUMNS} FROM documents WHERE tenant_id = $1 AND source_id = $2`, [
        tenantId,
        sourceId,
      ]),
    );
    return new Map(rows.map((row) => [row.external_id, toEntry(row)]));
  }

  async findOne(tenantId: string, sourceId: string, externalId: string): Promise<SyncStateEntry | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<Row>(
        `SELECT ${COLUMNS} FROM documents WHERE tenant_id = $1 AND source_id = $2 AND external_id = $3`,
        [tenantId, sourceId, externalId],
      ),
    );
    return rows[0] && toEntry(rows[0]);
  }

  /** Documents per source and status, for source listings. */
  async countsBySource(
    tenantId: string,
    sourceId?: string,
  ): Promise<Map<string, { indexed: number; failed: number; skipped: number }>> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<{ source_id: string; status: DocumentStatus; n: number }>(
        `SELECT source_id, status, count(*)::int AS n FROM documents
          WHERE tenant_id = $1 AND ($2::uuid IS NULL OR source_id = $2) GROUP BY source_id, status`,
        [tenantId, sourceId ?? null],
      ),
    );
    const counts = new Map<string, { indexed: number; failed: number; skipped: number }>();
    for (const row of rows) {
      const entry = counts.get(row.source_id) ?? { indexed: 0, failed: 0, skipped: 0 };
      entry[row.status] = row.n;
      counts.set(row.source_id, entry);
    }
    return counts;
  }

  /** The file was touched but its content is the same: remember the new size and mtime, so it is not read again. */
  async touch(tenantId: string, id: string, sizeBytes: number, modifiedAt: Date | null): Promise<void> {
    await this.db.tenant(tenantId, (tx) =>
      tx.query('UPDATE documents SET size_bytes = $3, modified_at = $4 WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        id,
        sizeBytes,
        modifiedAt,
      ]),
    );
  }
}
