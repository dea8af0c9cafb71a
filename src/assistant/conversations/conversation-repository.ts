import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../platform/db/database.js';
import type {
  Conversation,
  ConversationWithMessages,
  Feedback,
  Message,
  Owner,
  StoredCitation,
} from './conversation-types.js';

interface ConversationRow {
  id: string;
  title: string;
  created_at: Date;
  updated_at: Date;
}

interface MessageRow {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  mode: Message['mode'];
  found: boolean | null;
  status: Message['status'];
  created_at: Date;
  rating: Feedback['rating'] | null;
  comment: string | null;
}

interface CitationRow {
  message_id: string;
  n: number;
  document_id: string;
  chunk_ordinal: number;
  title: string;
  uri: string;
  anchor: StoredCitation['anchor'];
  quote: string;
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  title: r.title,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const OWNED = 'tenant_id = $1 AND owner_kind = $2 AND owner_id = $3';

export interface NewAnswer {
  content: string;
  mode: NonNullable<Message['mode']>;
  found: boolean;
  status: Message['status'];
  citations: readonly StoredCitation[];
}

/** Conversations, messages, citations and feedback; every method takes the company and the owner. */
export class ConversationRepository {
  constructor(private readonly db: Database) {}

  list(tenantId: string, owner: Owner, limit: number): Promise<Conversation[]> {
    return this.db.tenant(tenantId, async (tx) =>
      (
        await tx.query<ConversationRow>(
          `SELECT id, title, created_at, updated_at FROM conversations WHERE ${OWNED}
            ORDER BY updated_at DESC, id LIMIT $4`,
          [tenantId, owner.kind, owner.id, limit],
        )
      ).map(toConversation),
    );
  }

  create(tenantId: string, owner: Owner, title: string): Promise<Conversation> {
    return this.db.tenant(tenantId, async (tx) => {
      const [row] = await tx.query<ConversationRow>(
        `INSERT INTO conversations (tenant_id, id, owner_kind, owner_id, title) VALUES ($1, $4, $2, $3, $5)
         RETURNING id, title, created_at, updated_at`,
        [tenantId, owner.kind, owner.id, randomUUID(), title],
      );
      return toConversation(row!);
    });
  }

  find(tenantId: string, owner: Owner, id: string): Promise<Conversation | undefined> {
    return this.db.tenant(tenantId, async (tx) => findOwned(tx, tenantId, owner, id));
  }

  async get(tenantId: string, owner: Owner, id: string): Promise<ConversationWithMessages | undefined> {
    return this.db.tenant(tenantId, async (tx) => {
      const conversation = await findOwned(tx, tenantId, owner, id);
      if (!conversation) return undefined;
      const rows = await tx.query<MessageRow>(
        `SELECT m.id, m.role, m.content, m.mode, m.found, m.status, m.created_at, f.rating, f.comment
           FROM messages m LEFT JOIN message_feedback f ON f.tenant_id = m.tenant_id AND f.message_id = m.id
          WHERE m.tenant_id = $1 AND m.conversation_id = $2 ORDER BY m.seq`,
        [tenantId, id],
      );
      const citations = await tx.query<CitationRow>(
        `SELECT c.message_id, c.n, c.document_id, c.chunk_ordinal, c.title, c.uri, c.anchor, c.quote
           FROM citations c JOIN messages m ON m.tenant_id = c.tenant_id AND m.id = c.message_id
          WHERE c.tenant_id = $1 AND m.conversation_id = $2 ORDER BY c.n`,
        [tenantId, id],
      );
      const messages = rows.map((r): Message => ({
        id: r.id,
        role: r.role,
        content: r.content,
        mode: r.mode,
        found: r.found,
        status: r.status,
        createdAt: r.created_at.toISOString(),
        citations: citations
          .filter((c) => c.message_id === r.id)
          .map((c) => ({
            n: c.n,
            documentId: c.document_id,
            title: c.title,
            uri: c.uri,
            anchor: c.anchor,
            quote: c.quote,
            chunkOrdinal: c.chunk_ordinal,
          })),
        feedback: r.rating ? { rating: r.rating, comment: r.comment } : null,
      }));
      return { ...conversation, messages };
    });
  }

  rename(tenantId: string, owner: Owner, id: string, title: string): Promise<Conversation | undefined> {
    return this.db.tenant(tenantId, async (tx) => {
      const [row] = await tx.query<ConversationRow>(
        `UPDATE conversations SET title = $5, updated_at = now() WHERE ${OWNED} AND id = $4
         RETURNING id, title, created_at, updated_at`,
        [tenantId, owner.kind, owner.id, id, title],
      );
      return row ? toConversation(row) : undefined;
    });
  }

  /** Deletes the conversation and, by cascade, its messages, citations and feedback. */
  delete(tenantId: string, owner: Owner, id: string): Promise<boolean> {
    return this.db.tenant(tenantId, async (tx) => {
      const rows = await tx.query(`DELETE FROM conversations WHERE ${OWNED} AND id = $4 RETURNING id`, [
        tenantId,
        owner.kind,
        owner.id,
        id,
      ]);
      return rows.length > 0;
    });
  }

  /** The question and its answer in one transaction: a failed write leaves no half of the turn. */
  appendTurn(tenantId: string, conversationId: string, question: string, answer: NewAnswer): Promise<string> {
    return this.db.tenant(tenantId, async (tx) => {
      const [next] = await tx.query<{ seq: number }>(
        `SELECT coalesce(max(seq), 0) + 1 AS seq FROM messages WHERE tenant_id = $1 AND conversation_id = $2`,
        [tenantId, conversationId],
      );
      const seq = next!.seq;
      await tx.query(
        `INSERT INTO messages (tenant_id, id, conversation_id, seq, role, content) VALUES ($1, $2, $3, $4, 'user', $5)`,
        [tenantId, randomUUID(), conversationId, seq, question],
      );
      const answerId = randomUUID();
      await tx.query(
        `INSERT INTO messages (tenant_id, id, conversation_id, seq, role, content, mode, found, status)
         VALUES ($1, $2, $3, $4, 'assistant', $5, $6, $7, $8)`,
        [
          tenantId,
          answerId,
          conversationId,
          seq + 1,
          answer.content,
          answer.mode,
          answer.found,
          answer.status,
        ],
      );
      for (const c of answer.citations) {
        await tx.query(
          `INSERT INTO citations (tenant_id, message_id, n, document_id, chunk_ordinal, title, uri, anchor, quote)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            tenantId,
            answerId,
            c.n,
            c.documentId,
            c.chunkOrdinal,
            c.title,
            c.uri,
            JSON.stringify(c.anchor),
            c.quote,
          ],
        );
      }
      await tx.query(`UPDATE conversations SET updated_at = now() WHERE tenant_id = $1 AND id = $2`, [
        tenantId,
        conversationId,
      ]);
      return answerId;
    });
  }

  /** Feedback on an answer of the owner's conversation; false when there is no such answer. */
  setFeedback(
    tenantId: string,
    owner: Owner,
    conversationId: string,
    messageId: string,
    feedback: Feedback,
  ): Promise<boolean> {
    return this.db.tenant(tenantId, async (tx) => {
      const [message] = await tx.query<{ id: string }>(
        `SELECT m.id FROM messages m JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
          WHERE m.tenant_id = $1 AND c.owner_kind = $2 AND c.owner_id = $3 AND c.id = $4 AND m.id = $5
            AND m.role = 'assistant'`,
        [tenantId, owner.kind, owner.id, conversationId, messageId],
      );
      if (!message) return false;
      await tx.query(
        `INSERT INTO message_feedback (tenant_id, message_id, rating, comment) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, message_id) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, updated_at = now()`,
        [tenantId, messageId, feedback.rating, feedback.comment],
      );
      return true;
    });
  }

  /** The last turns of a conversation, oldest first (the history an engine sees). */
  history(
    tenantId: string,
    conversationId: string,
    turns: number,
  ): Promise<{ role: 'user' | 'assistant'; content: string }[]> {
    return this.db.tenant(
      tenantId,
      async (tx) =>
        await tx.query<{ role: 'user' | 'assistant'; content: string }>(
          `SELECT role, content FROM (SELECT seq, role, content FROM messages
             WHERE tenant_id = $1 AND conversation_id = $2 ORDER BY seq DESC LIMIT $3) t ORDER BY seq`,
          [tenantId, conversationId, turns * 2],
        ),
    );
  }
}

async function findOwned(
  tx: Queryable,
  tenantId: string,
  owner: Owner,
  id: string,
): Promise<Conversation | undefined> {
  const [row] = await tx.query<ConversationRow>(
    `SELECT id, title, created_at, updated_at FROM conversations WHERE ${OWNED} AND id = $4`,
    [tenantId, owner.kind, owner.id, id],
  );
  return row ? toConversation(row) : undefined;
}
