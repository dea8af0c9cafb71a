import type { Anchor, TableCell } from '../parsers/index.js';

export type DocumentStatus = 'indexed' | 'failed' | 'skipped';

export interface DocumentRecord {
  id: string;
  tenantId: string;
  sourceId: string;
  externalId: string;
  title: string;
  uri: string;
  mimeType: string | null;
  sizeBytes: number;
  contentHash: string | null;
  modifiedAt: string | null;
  version: number;
  /** The version of its format's reader that read it (parsers/reader-versions.ts). */
  readerVersion: number;
  acl: string[];
  metadata: Record<string, string>;
  status: DocumentStatus;
  errorCode: string | null;
  errorMessage: string | null;
  chunkCount: number;
  indexedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the source knows about a file or row before it is parsed. */
export interface DocumentIdentity {
  sourceId: string;
  externalId: string;
  title: string;
  uri: string;
  sizeBytes: number;
  modifiedAt: Date | null;
  acl: string[];
}

export interface StoredChunk {
  ordinal: number;
  text: string;
  /** The analysed terms, space-joined (src/search/analysis: no term holds a space). */
  tokens: string;
  tokenCount: number;
  anchor: Anchor;
}

/**
 * A chunk and its analysed terms, space-joined as chunks.tokens stores them: from a preparation
 * thread one string per chunk crosses to the main thread, not an array of a few hundred.
 */
export function storedChunk(
  ordinal: number,
  text: string,
  terms: readonly string[],
  anchor: Anchor = {},
): StoredChunk {
  return { ordinal, text, tokens: terms.join(' '), tokenCount: terms.length, anchor };
}

export interface StoredTable {
  name: string;
  columns: string[];
  rows: TableCell[][];
}
