import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db/database.js';
import type { Analyzer } from '../analysis/analyzer.js';

/** A sentence of the corpus and its analysed tokens. */
export interface AnalysedSentence {
  text: string;
  tokens: readonly string[];
}

/** One generated chunk: whole corpus sentences, and the concatenation of their tokens. */
export interface GeneratedChunk {
  text: string;
  tokens: string[];
}

/** Chunks are composed to this many characters at least, and never past the chunker's target (400). */
export const GENERATED_CHUNK_CHARS = { min: 300, max: 400 } as const;

/**
 * Each distinct sentence analysed once. Sentences longer than half a chunk are left out, so that
 * every generated chunk is made of whole sentences.
 */
export function analyseSentences(sentences: readonly string[], analyzer: Analyzer): AnalysedSentence[] {
  const out: AnalysedSentence[] = [];
  for (const text of new Set(sentences))
    if (text.length <= GENERATED_CHUNK_CHARS.max / 2) out.push({ text, tokens: analyzer.analyze(text) });
  return out;
}

/**
 * Chunks of randomly drawn sentences (300–400 characters). The analyser cuts runs at sentence
 * punctuation, so a chunk's tokens are its sentences' tokens in order; the benchmark checks that on
 * a sample (`composedAgreement`) instead of assuming it.
 */
export function composeChunk(sentences: readonly AnalysedSentence[], random: () => number): GeneratedChunk {
  let text = '';
  const tokens: string[] = [];
  let misses = 0;
  while (text.length < GENERATED_CHUNK_CHARS.min && misses < 20) {
    const s = sentences[Math.floor(random() * sentences.length)]!;
    if (text.length + s.text.length > GENERATED_CHUNK_CHARS.max) {
      misses++;
      continue;
    }
    text += s.text;
    for (const t of s.tokens) tokens.push(t);
  }
  return { text, tokens };
}

/** Share of `sample` chunks whose composed tokens equal the analyser's tokens of the whole chunk text. */
export function composedAgreement(sample: readonly GeneratedChunk[], analyzer: Analyzer): number {
  if (sample.length === 0) return 1;
  const same = sample.filter((c) => analyzer.analyze(c.text).join(' ') === c.tokens.join(' ')).length;
  return same / sample.length;
}

export interface GeneratedDocuments {
  documents: number;
  chunks: number;
}

/**
 * Stores generated chunks as real text documents of the company (a documents row each, with
 * `chunksPerDocument` chunks, ACL everyone), a few thousand rows per multi-row INSERT … SELECT FROM
 * unnest(…) instead of one ingest call per document. The chunk rows are what the ingest path
 * writes; the search path cannot tell them apart.
 */
export async function storeGeneratedDocuments(
  db: Database,
  target: { tenantId: string; sourceId: string },
  next: () => GeneratedChunk,
  count: number,
  options: {
    chunksPerDocument?: number;
    documentsPerStatement?: number;
    progress?: (done: number) => void;
  } = {},
): Promise<GeneratedDocuments> {
  const perDocument = options.chunksPerDocument ?? 100;
  const perStatement = options.documentsPerStatement ?? 20;
  let documents = 0;
  let stored = 0;
  while (stored < count) {
    const docs: { id: string; name: string; size: number; hash: string; n: number }[] = [];
    const rows = {
      doc: [] as string[],
      ordinal: [] as number[],
      text: [] as string[],
      tokens: [] as string[],
      n: [] as number[],
    };
    for (let d = 0; d < perStatement && stored < count; d++) {
      const id = randomUUID();
      const n = Math.min(perDocument, count - stored);
      const hash = createHash('sha256');
      let size = 0;
      for (let ordinal = 0; ordinal < n; ordinal++) {
        const chunk = next();
        rows.doc.push(id);
        rows.ordinal.push(ordinal);
        rows.text.push(chunk.text);
        rows.tokens.push(chunk.tokens.join(' '));
        rows.n.push(chunk.tokens.length);
        hash.update(chunk.text);
        size += Buffer.byteLength(chunk.text, 'utf8');
      }
      docs.push({ id, name: `generated-${documents + d}.txt`, size, hash: hash.digest('hex'), n });
      stored += n;
    }
    await db.tenant(target.tenantId, async (tx) => {
      await tx.query(
        `INSERT INTO documents (tenant_id, id, source_id, external_id, title, uri, mime_type, size_bytes,
                                content_hash, acl, status, chunk_count, indexed_at)
         SELECT $1, d.id, $2, d.name, d.name, 'bench://' || d.name, 'text/plain', d.size, d.hash,
                ARRAY['everyone'], 'indexed', d.n, now()
           FROM unnest($3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::int[]) AS d(id, name, size, hash, n)`,
        [
          target.tenantId,
          target.sourceId,
          docs.map((d) => d.id),
          docs.map((d) => d.name),
          docs.map((d) => d.size),
          docs.map((d) => d.hash),
          docs.map((d) => d.n),
        ],
      );
      await tx.query(
        `INSERT INTO chunks (tenant_id, document_id, ordinal, text, tokens, token_count, anchor, acl)
         SELECT $1, c.doc, c.ordinal, c.text, c.tokens, c.n, '{}'::jsonb, ARRAY['everyone']
           FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::int[]) AS c(doc, ordinal, text, tokens, n)`,
        [target.tenantId, rows.doc, rows.ordinal, rows.text, rows.tokens, rows.n],
      );
    });
    documents += docs.length;
    options.progress?.(stored);
  }
  return { documents, chunks: stored };
}
