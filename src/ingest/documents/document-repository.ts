import type { Database, Queryable } from '../../platform/db/database.js';
import type {
  DocumentIdentity,
  DocumentRecord,
  DocumentStatus,
  StoredChunk,
  StoredTable,
} from './document-types.js';
import { toDocument, type DocumentRow } from './document-row.js';
import { GroupCommit } from './group-commit.js';
import { wellFormed } from '../../platform/text/well-formed.js';
import { readerVersion } from '../parsers/reader-versions.js';

/** A parsed document ready to be stored with its chunks and tables. */
export interface IndexedDocument {
  id: string;
  identity: DocumentIdentity;
  mimeType: string;
  contentHash: string;
  metadata: Record<string, string>;
  chunks: StoredChunk[];
  tables: StoredTable[];
}

/** Chunks per INSERT statement (each fires the search triggers once over its rows). */
const CHUNK_BATCH = 500;

/**
 * What the search index needs to know before a company's chunks are written (src/search/lexical):
 * e.g. that company's BM25 index must exist. Runs outside the write's transaction.
 */
export interface ChunkIndexHooks {
  beforeWrite(tenantId: string): Promise<void>;
  /** Inside the write's transaction, before its chunks are inserted (pg_textsearch: its spill threshold). */
  inTransaction?(tx: Queryable): Promise<void>;
  /** After the chunks committed (vectors: asks for the embedding job). Must not throw. */
  afterWrite?(tenantId: string): Promise<void>;
}

/**
 * Documents and their chunks. A document's chunks are replaced in the same transaction as the
 * document row, so search never sees a half-indexed document and a crash leaves the old version.
 */
export class DocumentRepository {
  constructor(
    private readonly db: Database,
    private readonly indexHooks?: ChunkIndexHooks,
  ) {}

  async findByExternalId(
    tenantId: string,
    sourceId: string,
    externalId: string,
  ): Promise<DocumentRecord | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<DocumentRow>(
        'SELECT * FROM documents WHERE tenant_id = $1 AND source_id = $2 AND external_id = $3',
        [tenantId, sourceId, externalId],
      ),
    );
    return rows[0] && toDocument(rows[0]);
  }

  async findById(tenantId: string, id: string): Promise<DocumentRecord | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<DocumentRow>('SELECT * FROM documents WHERE tenant_id = $1 AND id = $2', [tenantId, id]),
    );
    return rows[0] && toDocument(rows[0]);
  }

  async list(
    tenantId: string,
    filter: { sourceId?: string; status?: DocumentStatus; limit: number; offset: number },
  ): Promise<{ documents: DocumentRecord[]; total: number }> {
    return this.db.tenant(tenantId, async (tx) => {
      const where = `tenant_id = $1 AND ($2::uuid IS NULL OR source_id = $2) AND ($3::text IS NULL OR status = $3)`;
      const params = [tenantId, filter.sourceId ?? null, filter.status ?? null];
      const rows = await tx.query<DocumentRow>(
        `SELECT * FROM documents WHERE ${where} ORDER BY title, id LIMIT $4 OFFSET $5`,
        [...params, filter.limit, filter.offset],
      );
      const count = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM documents WHERE ${where}`,
        params,
      );
      return { documents: rows.map(toDocument), total: count[0]?.n ?? 0 };
    });
  }

  /** External ids of a source's documents: what a sync compares with what it found. */
  async externalIds(tenantId: string, sourceId: string): Promise<Map<string, string>> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<{ id: string; external_id: string }>(
        'SELECT id, external_id FROM documents WHERE tenant_id = $1 AND source_id = $2',
        [tenantId, sourceId],
      ),
    );
    return new Map(rows.map((r) => [r.external_id, r.id]));
  }

  /**
   * Stores a parsed document and replaces its chunks and tables atomically. Documents saved while
   * another write runs are written together in the next transaction (group-commit.ts).
   */
  async saveIndexed(tenantId: string, document: IndexedDocument): Promise<DocumentRecord> {
    await this.indexHooks?.beforeWrite(tenantId);
    const stored = await this.indexedWrites.write<DocumentRecord>(tenantId, document);
    await this.indexHooks?.afterWrite?.(tenantId);
    return stored;
  }

  private readonly indexedWrites = new GroupCommit<IndexedDocument>({
    writeBatch: (tenantId, documents) =>
      this.db.tenant(tenantId, async (tx) => {
        await this.indexHooks?.inTransaction?.(tx);
        return writeIndexed(tx, tenantId, documents);
      }),
    maxItems: 64,
    maxWeight: 4 * CHUNK_BATCH,
    // Measured on the ingest bench (docs/BENCHMARKS.md): ~0.3 CPU-s less on PGlite's thread for 300 files.
    lingerMs: 5,
    weight: (document) => document.chunks.length,
    conflicts: (a, b) =>
      a.id === b.id ||
      (a.identity.sourceId === b.identity.sourceId && a.identity.externalId === b.identity.externalId),
  });

  /**
   * Records why a file could not be indexed. A document that was indexed before keeps its chunks
   * (nothing already indexed is lost) and carries the error beside them.
   */
  async saveFailure(
    tenantId: string,
    document: {
      id: string;
      identity: DocumentIdentity;
      mimeType: string | null;
      contentHash: string | null;
      code: string;
      message: string;
      skipped: boolean;
    },
  ): Promise<DocumentRecord> {
    return this.db.tenant(tenantId, async (tx) => {
      const existing = await tx.query<DocumentRow>(
        'SELECT * FROM documents WHERE tenant_id = $1 AND source_id = $2 AND external_id = $3',
        [tenantId, document.identity.sourceId, document.identity.externalId],
      );
      if (existing[0]?.status === 'indexed') {
        const rows = await tx.query<DocumentRow>(
          `UPDATE documents SET error_code = $3, error_message = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING *`,
          [tenantId, existing[0].id, document.code, document.message],
        );
        return toDocument(rows[0]!);
      }
      return upsert(tx, tenantId, document.id, document.identity, {
        status: document.skipped ? 'skipped' : 'failed',
        mimeType: document.mimeType,
        contentHash: document.contentHash,
        metadata: {},
        chunkCount: 0,
        error: { code: document.code, message: document.message },
      });
    });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query('DELETE FROM documents WHERE tenant_id = $1 AND id = $2 RETURNING id', [tenantId, id]),
    );
    return rows.length > 0;
  }

  async chunks(tenantId: string, documentId: string): Promise<StoredChunk[]> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<StoredChunk>(
        `SELECT ordinal, text, tokens, token_count AS "tokenCount", anchor
           FROM chunks WHERE tenant_id = $1 AND document_id = $2 ORDER BY ordinal`,
        [tenantId, documentId],
      ),
    );
    return rows;
  }
}

interface DocumentState {
  status: DocumentStatus;
  mimeType: string | null;
  contentHash: string | null;
  metadata: Record<string, string>;
  chunkCount: number;
  error: { code: string; message: string } | null;
}

async function upsert(
  tx: Queryable,
  tenantId: string,
  id: string,
  identity: DocumentIdentity,
  state: DocumentState,
): Promise<DocumentRecord> {
  return (await upsertMany(tx, tenantId, [{ id, identity, state }]))[0]!;
}

/**
 * Inserts or updates documents in one statement (a JSON parameter, as for chunks): for many small
 * documents, such as a database's rows, one statement per document was most of the write's cost.
 * The callers never pass two documents with the same key (GroupCommit keeps conflicting writes
 * apart), which one INSERT … ON CONFLICT could not update twice. Returns them in the order given.
 */
async function upsertMany(
  tx: Queryable,
  tenantId: string,
  documents: { id: string; identity: DocumentIdentity; state: DocumentState }[],
): Promise<DocumentRecord[]> {
  const rows = await tx.query<DocumentRow>(
    `INSERT INTO documents (tenant_id, id, source_id, external_id, title, uri, mime_type, reader_version, size_bytes,
                            content_hash, modified_at, acl, metadata, status, error_code, error_message, chunk_count,
                            indexed_at)
     SELECT $1, r.id, r.source_id, r.external_id, r.title, r.uri, r.mime_type, r.reader_version, r.size_bytes,
            r.content_hash, r.modified_at, r.acl, r.metadata, r.status, r.error_code, r.error_message, r.chunk_count,
            CASE WHEN r.status = 'indexed' THEN now() END
       FROM json_to_recordset($2::json) AS r(id uuid, source_id uuid, external_id text, title text, uri text,
            mime_type text, reader_version integer, size_bytes bigint, content_hash text, modified_at timestamptz,
            acl text[], metadata jsonb, status text, error_code text, error_message text, chunk_count integer)
     ON CONFLICT (tenant_id, source_id, external_id) DO UPDATE SET
       title = EXCLUDED.title, uri = EXCLUDED.uri, mime_type = EXCLUDED.mime_type,
       reader_version = EXCLUDED.reader_version, size_bytes = EXCLUDED.size_bytes,
       content_hash = EXCLUDED.content_hash, modified_at = EXCLUDED.modified_at, acl = EXCLUDED.acl,
       metadata = EXCLUDED.metadata, status = EXCLUDED.status, error_code = EXCLUDED.error_code,
       error_message = EXCLUDED.error_message, chunk_count = EXCLUDED.chunk_count,
       indexed_at = EXCLUDED.indexed_at, version = documents.version + 1, updated_at = now()
     RETURNING *`,
    [
      tenantId,
      JSON.stringify(
        documents.map(({ id, identity, state }) => ({
          id,
          source_id: identity.sourceId,
          external_id: identity.externalId,
          title: identity.title,
          uri: identity.uri,
          mime_type: state.mimeType,
          reader_version: readerVersion(state.mimeType),
          size_bytes: identity.sizeBytes,
          content_hash: state.contentHash,
          modified_at: identity.modifiedAt,
          acl: identity.acl,
          metadata: state.metadata,
          status: state.status,
          error_code: state.error?.code ?? null,
          error_message: state.error?.message ?? null,
          chunk_count: state.chunkCount,
        })),
        storable,
      ),
    ],
  );
  const byKey = new Map(rows.map((row) => [`${row.source_id}/${row.external_id}`, toDocument(row)]));
  return documents.map(({ identity }) => byKey.get(`${identity.sourceId}/${identity.externalId}`)!);
}

/** JSON.stringify's replacer: strings as a parameter would have stored them (a lone surrogate as U+FFFD, not an escape jsonb refuses). */
const storable = (_key: string, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value);

/**
 * Writes documents and their chunks and tables in the caller's transaction: one upsert per
 * document, then one DELETE for the chunks and tables of those that existed before, then
 * multi-row INSERTs of every chunk (one statement-level index trigger call per 500 chunks).
 */
async function writeIndexed(
  tx: Queryable,
  tenantId: string,
  documents: IndexedDocument[],
): Promise<DocumentRecord[]> {
  const saved = await upsertMany(
    tx,
    tenantId,
    documents.map((document) => ({
      id: document.id,
      identity: document.identity,
      state: {
        status: 'indexed',
        mimeType: document.mimeType,
        contentHash: document.contentHash,
        metadata: document.metadata,
        chunkCount: document.chunks.length,
        error: null,
      },
    })),
  );
  // A row inserted just now (version 1, a new id) has no chunks or tables to replace.
  const replaced = saved.filter((record) => record.version > 1).map((record) => record.id);
  if (replaced.length > 0) {
    await tx.query('DELETE FROM chunks WHERE tenant_id = $1 AND document_id = ANY ($2::uuid[])', [
      tenantId,
      replaced,
    ]);
    await tx.query('DELETE FROM document_tables WHERE tenant_id = $1 AND document_id = ANY ($2::uuid[])', [
      tenantId,
      replaced,
    ]);
  }
  const rows = documents.flatMap((document, i) =>
    document.chunks.map((chunk) => ({
      d: saved[i]!.id,
      o: chunk.ordinal,
      x: chunk.text,
      t: chunk.tokens,
      n: chunk.tokenCount,
      a: chunk.anchor,
      c: document.identity.acl,
    })),
  );
  // One JSON parameter per statement instead of seven per chunk: on embedded PGlite every
  // parameter costs JavaScript work on the main thread to serialise; the database parses the JSON
  // in one call. One statement per CHUNK_BATCH rows keeps each trigger call's transition table small.
  for (let start = 0; start < rows.length; start += CHUNK_BATCH) {
    await tx.query(
      `INSERT INTO chunks (tenant_id, document_id, ordinal, text, tokens, token_count, anchor, acl)
       SELECT $1, r.d, r.o, r.x, r.t, r.n, r.a, r.c
         FROM json_to_recordset($2::json) AS r(d uuid, o integer, x text, t text, n integer, a jsonb, c text[])`,
      [tenantId, JSON.stringify(rows.slice(start, start + CHUNK_BATCH), storable)],
    );
  }
  for (const [i, document] of documents.entries()) {
    for (const [ordinal, table] of document.tables.entries()) {
      await tx.query(
        'INSERT INTO document_tables (tenant_id, document_id, ordinal, name, columns, rows) VALUES ($1, $2, $3, $4, $5, $6)',
        [
          tenantId,
          saved[i]!.id,
          ordinal,
          table.name,
          JSON.stringify(table.columns),
          JSON.stringify(table.rows),
        ],
      );
    }
  }
  return saved;
}
