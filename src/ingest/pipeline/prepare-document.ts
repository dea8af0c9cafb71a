import { chunkSections } from '../chunking/index.js';
import { storedChunk, type StoredChunk, type StoredTable } from '../documents/document-types.js';
import { ParseError, parseDocument, type ParseErrorCode, type ParseLimits } from '../parsers/index.js';
import { flattenDocument } from './flatten-document.js';

/** The text analyser the search index uses (src/search/analysis): the same tokens go into the database. */
export interface TextAnalyzer {
  analyze(text: string): string[];
}

/** A file turned into what the database stores: chunks with their tokens, tables, metadata. */
export type PreparedFile =
  | {
      ok: true;
      title: string;
      mimeType: string;
      metadata: Record<string, string>;
      chunks: StoredChunk[];
      tables: StoredTable[];
    }
  | { ok: false; code: ParseErrorCode; message: string };

/**
 * The CPU-bound half of ingestion (parse → chunk → analyse), kept apart from the database half so
 * it can run on worker threads (src/ingest/workers) or inline.
 */
export interface DocumentPreparer {
  prepareFile(bytes: Buffer, fileName: string): Promise<PreparedFile>;
  /** Text that needs no parsing (a database row): one section anchored at `heading`. */
  prepareText(text: string, heading?: string): Promise<StoredChunk[]>;
}

export async function prepareFile(
  bytes: Buffer,
  fileName: string,
  analyzer: TextAnalyzer,
  limits?: ParseLimits,
): Promise<PreparedFile> {
  let parsed;
  try {
    parsed = await parseDocument(bytes, { fileName }, limits);
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
  const { sections, tables } = flattenDocument(parsed);
  const chunks = chunkSections(sections).map((chunk) =>
    storedChunk(chunk.ordinal, chunk.text, analyzer.analyze(chunk.text), chunk.anchor),
  );
  const metadata = {
    ...parsed.metadata,
    ...(parsed.warnings.length ? { warnings: parsed.warnings.join('\n') } : {}),
  };
  return { ok: true, title: parsed.title, mimeType: parsed.mimeType, metadata, chunks, tables };
}

export function prepareText(text: string, analyzer: TextAnalyzer, heading?: string): StoredChunk[] {
  const sections = [{ text, anchor: heading ? { heading } : {} }];
  return chunkSections(sections).map((chunk) =>
    storedChunk(chunk.ordinal, chunk.text, analyzer.analyze(chunk.text), chunk.anchor),
  );
}

/** Parses and analyses on the calling thread: tests, one-off scripts, and KURA_WORKER_CONCURRENCY's absence. */
export const inlinePreparer = (analyzer: TextAnalyzer, limits?: ParseLimits): DocumentPreparer => ({
  prepareFile: (bytes, fileName) => prepareFile(bytes, fileName, analyzer, limits),
  prepareText: async (text, heading) => prepareText(text, analyzer, heading),
});

/** A preparer whose analyser loads on first use: commands that never prepare a file never pay for it. */
export function lazyPreparer(load: () => Promise<DocumentPreparer>): DocumentPreparer {
  return {
    prepareFile: async (bytes, fileName) => (await load()).prepareFile(bytes, fileName),
    prepareText: async (text, heading) => (await load()).prepareText(text, heading),
  };
}
