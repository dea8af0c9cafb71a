import type { Anchor } from '../ingest/parsers/index.js';
import type { Database } from '../platform/db/database.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { principalsOf } from '../search/principals.js';
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
}
