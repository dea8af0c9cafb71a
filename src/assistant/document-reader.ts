import type { Anchor } from '../ingest/parsers/index.js';
import type { Database } from '../platform/db/database.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { principalsOf } from '../search/principals.js';
import type { Passage } from '../search/search-service.js';
import type { Actor } from '../tenancy/actor.js';
import { authorizeOn } from '../tenancy/policies.js';

export interface DocumentText {
  documentId: string;
  title: string;
  uri: string;
  mimeType: string | null;
  passages: { ordinal: number; anchor: Anchor; text: string }[];
  /** More passages exist than were returned. */
  truncated: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A document's text as the caller may read it (agents' `get_document`): the chunks whose ACL the
 * caller holds — the same rule as search, so an agent reads exactly what it could have found. A
 * document with none answers 404, like one of another company.
 */
export class DocumentReader {
  constructor(private readonly db: Database) {}

  async read(actor: Actor, tenantId: string, documentId: string, maxPassages = 50): Promise<DocumentText> {
    authorizeOn(actor, 'document.read', { tenantId, groupId: actor.groupId }, 'Document');
    if (!UUID.test(documentId)) throw new NotFoundError('Document');
    const principals = principalsOf(actor);
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<{
        title: string;
        uri: string;
        mime_type: string | null;
        ordinal: number;
        anchor: Anchor;
        text: string;
      }>(
        `SELECT d.title, d.uri, d.mime_type, c.ordinal, c.anchor, c.text
           FROM documents d JOIN chunks c ON c.tenant_id = d.tenant_id AND c.document_id = d.id
          WHERE d.tenant_id = $1 AND d.id = $2 AND ($3::text[] IS NULL OR c.acl && $3::text[])
          ORDER BY c.ordinal LIMIT $4`,
        [tenantId, documentId, principals, maxPassages + 1],
      ),
    );
    const first = rows[0];
    if (!first) throw new NotFoundError('Document');
    return {
      documentId,
      title: first.title,
      uri: first.uri,
      mimeType: first.mime_type,
      passages: rows
        .slice(0, maxPassages)
        .map((r) => ({ ordinal: r.ordinal, anchor: r.anchor, text: r.text })),
      truncated: rows.length > maxPassages,
    };
  }

  /**
   * The chunks next to the given ones (ordinal ± 1) that the caller may read, as passages: what the
   * generative engine adds around its best passages so a thought cut at a chunk boundary reads whole.
   * Same company and ACL rule as search; the given chunks themselves are not returned.
   */
  async neighbours(actor: Actor, tenantId: string, of: readonly Passage[]): Promise<Passage[]> {
    authorizeOn(actor, 'document.read', { tenantId, groupId: actor.groupId }, 'Document');
    const given = new Set(of.map((p) => `${p.documentId}/${p.ordinal}`));
    const wanted = of
      .flatMap((p) =>
        [p.ordinal - 1, p.ordinal + 1].map((ordinal) => ({ documentId: p.documentId, ordinal })),
      )
      .filter((w) => w.ordinal >= 0 && !given.has(`${w.documentId}/${w.ordinal}`));
    if (wanted.length === 0) return [];
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<{
        document_id: string;
        ordinal: number;
        title: string;
        uri: string;
        anchor: Anchor;
        text: string;
      }>(
        `SELECT DISTINCT d.id AS document_id, c.ordinal, d.title, d.uri, c.anchor, c.text
           FROM unnest($2::uuid[], $3::int[]) AS w(document_id, ordinal)
           JOIN chunks c ON c.tenant_id = $1 AND c.document_id = w.document_id AND c.ordinal = w.ordinal
           JOIN documents d ON d.tenant_id = c.tenant_id AND d.id = c.document_id
          WHERE ($4::text[] IS NULL OR c.acl && $4::text[])`,
        [tenantId, wanted.map((w) => w.documentId), wanted.map((w) => w.ordinal), principalsOf(actor)],
      ),
    );
    return rows.map((r) => ({
      documentId: r.document_id,
      ordinal: r.ordinal,
      title: r.title,
      uri: r.uri,
      anchor: r.anchor,
      text: r.text,
      score: 0,
      bm25: 0,
    }));
  }
}
