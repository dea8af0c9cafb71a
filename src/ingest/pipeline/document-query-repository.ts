import type { Database } from '../../platform/db/database.js';
import type { DocumentRecord, DocumentStatus } from '../documents/document-types.js';
import { toDocument, type DocumentRow } from '../documents/document-row.js';
import type { Anchor } from '../parsers/index.js';

/** A passage of a document as the viewer shows it: its place in the document and its text. */
export interface DocumentChunk {
  ordinal: number;
  text: string;
  anchor: Anchor;
}

export interface DocumentFilter {
  sourceId?: string | undefined;
  status?: DocumentStatus | undefined;
  /** Part of the title or external id (case-insensitive). */
  query?: string | undefined;
  /** Only documents whose ACL names one of these; undefined: every document (admins). */
  principals?: string[] | undefined;
  limit: number;
  offset: number;
}

/** Reads of documents as people see them: filtered by the caller's principals inside the query. */
export class DocumentQueryRepository {
  constructor(private readonly db: Database) {}

  async list(
    tenantId: string,
    filter: DocumentFilter,
  ): Promise<{ documents: DocumentRecord[]; total: number }> {
    return this.db.tenant(tenantId, async (tx) => {
      const where = `tenant_id = $1 AND ($2::uuid IS NULL OR source_id = $2) AND ($3::text IS NULL OR status = $3)
        AND ($4::text IS NULL OR title ILIKE $4 OR external_id ILIKE $4) AND ($5::text[] IS NULL OR acl && $5::text[])`;
      const like = filter.query ? `%${filter.query.replace(/[\\%_]/g, '\\$&')}%` : null;
      const params = [
        tenantId,
        filter.sourceId ?? null,
        filter.status ?? null,
        like,
        filter.principals ?? null,
      ];
      const rows = await tx.query<DocumentRow>(
        `SELECT * FROM documents WHERE ${where} ORDER BY updated_at DESC, id LIMIT $6 OFFSET $7`,
        [...params, filter.limit, filter.offset],
      );
      const count = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM documents WHERE ${where}`,
        params,
      );
      return { documents: rows.map(toDocument), total: count[0]?.n ?? 0 };
    });
  }

  async find(tenantId: string, id: string, principals?: string[]): Promise<DocumentRecord | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<DocumentRow>(
        'SELECT * FROM documents WHERE tenant_id = $1 AND id = $2 AND ($3::text[] IS NULL OR acl && $3::text[])',
        [tenantId, id, principals ?? null],
      ),
    );
    return rows[0] && toDocument(rows[0]);
  }

  /** The document's chunks in reading order (the caller checked the document is visible). */
  async chunks(tenantId: string, documentId: string): Promise<DocumentChunk[]> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<{ ordinal: number; text: string; anchor: Anchor }>(
        'SELECT ordinal, text, anchor FROM chunks WHERE tenant_id = $1 AND document_id = $2 ORDER BY ordinal',
        [tenantId, documentId],
      ),
    );
    return rows.map((row) => ({ ordinal: row.ordinal, text: row.text, anchor: row.anchor ?? {} }));
  }

  /** An indexed document of the source with exactly this content (an upload of the same file again). */
  async findByContentHash(
    tenantId: string,
    sourceId: string,
    contentHash: string,
  ): Promise<DocumentRecord | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<DocumentRow>(
        `SELECT * FROM documents WHERE tenant_id = $1 AND source_id = $2 AND content_hash = $3 AND status = 'indexed'
          ORDER BY created_at LIMIT 1`,
        [tenantId, sourceId, contentHash],
      ),
    );
    return rows[0] && toDocument(rows[0]);
  }
}
