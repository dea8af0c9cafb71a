import { randomUUID } from 'node:crypto';
import { SourceRepository } from '../../src/connectors/source-repository.js';
import { DocumentRepository } from '../../src/ingest/documents/document-repository.js';
import type { Database } from '../../src/platform/db/database.js';
import { storedChunk } from '../../src/ingest/documents/document-types.js';
import type { LexicalIndex } from '../../src/search/lexical/lexical-index.js';
import { PgTextsearchIndex } from '../../src/search/lexical/pg-textsearch-index.js';
import { PortableIndex } from '../../src/search/lexical/portable-index.js';
import { installTriggers } from '../../src/search/lexical/search-triggers.js';
import { Bm25Index } from '../../bench/tokenizers/bm25.js';
import type { Engine } from '../helpers/test-database.js';

/**
 * Both BM25 paths over one database, as tests need them: the portable postings are maintained on
 * either engine; pg_textsearch (embedded PGlite only) keeps its per-company partitions too.
 */
export async function bothPaths(db: Database, engine: Engine) {
  await installTriggers(db, 'postings');
  const portable = new PortableIndex();
  let pgTextsearch: PgTextsearchIndex | null = null;
  if (engine === 'pglite') {
    await db.owner((tx) => tx.query('CREATE EXTENSION IF NOT EXISTS pg_textsearch'));
    await installTriggers(db, 'mirror');
    pgTextsearch = new PgTextsearchIndex(db);
  }
  const indexes: LexicalIndex[] = pgTextsearch ? [portable, pgTextsearch] : [portable];
  const documents = new DocumentRepository(db, {
    beforeWrite: async (tenantId) => {
      for (const index of indexes) await index.prepareTenant(tenantId);
    },
  });
  return { portable, pgTextsearch, indexes, documents, sources: new SourceRepository(db) };
}

export type Paths = Awaited<ReturnType<typeof bothPaths>>;

/** Stores one document per token list, one chunk each, with the given ACLs. Returns the document ids in order. */
export async function saveDocs(
  paths: Paths,
  tenantId: string,
  docs: readonly {
    tokens: readonly string[];
    text?: string;
    acl?: string[];
    metadata?: Record<string, string>;
    modifiedAt?: Date;
  }[],
  sourceId?: string,
): Promise<string[]> {
  const source =
    sourceId ??
    (
      await paths.sources.insert(tenantId, {
        id: randomUUID(),
        kind: 'upload',
        name: `s-${randomUUID()}`,
        settings: {},
        secret: null,
      })
    ).id;
  const ids: string[] = [];
  for (const [i, doc] of docs.entries()) {
    const id = randomUUID();
    await paths.documents.saveIndexed(tenantId, {
      id,
      identity: {
        sourceId: source,
        externalId: `${id}.txt`,
        title: `doc ${i}`,
        uri: `test://${id}`,
        sizeBytes: 0,
        modifiedAt: doc.modifiedAt ?? null,
        acl: doc.acl ?? ['everyone'],
      },
      mimeType: 'text/plain',
      contentHash: id,
      metadata: doc.metadata ?? {},
      chunks: [storedChunk(0, doc.text ?? doc.tokens.join(' '), doc.tokens)],
      tables: [],
    });
    ids.push(id);
  }
  return ids;
}

/** The reference BM25 (bench/tokenizers/bm25.ts) over the company's chunks as stored now. */
export async function reference(db: Database, tenantId: string, quantize: boolean) {
  const rows = await db.tenant(tenantId, (tx) =>
    tx.query<{ document_id: string; ordinal: number; tokens: string }>(
      'SELECT document_id, ordinal, tokens FROM chunks WHERE tenant_id = $1 ORDER BY document_id, ordinal',
      [tenantId],
    ),
  );
  const index = new Bm25Index(
    rows.map((r) => (r.tokens === '' ? [] : r.tokens.split(' '))),
    1.2,
    0.75,
    true,
    quantize,
  );
  const keys = rows.map((r) => `${r.document_id}/${r.ordinal}`);
  return {
    /** Every chunk's score, by "documentId/ordinal". */
    scores(terms: readonly string[]): Map<string, number> {
      const s = index.scores(terms);
      return new Map(keys.map((k, i) => [k, s[i] as number]));
    },
    /** The k best positive scores, best first. */
    top(terms: readonly string[], k: number): number[] {
      return [...index.scores(terms)]
        .filter((x) => x > 0)
        .sort((a, b) => b - a)
        .slice(0, k);
    },
  };
}

export const closeTo = (actual: number, expected: number, relative: number) =>
  Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected));
