import type { DocumentRecord, DocumentStatus } from './document-types.js';

/** A `documents` row as the driver returns it. */
export interface DocumentRow {
  tenant_id: string;
  id: string;
  source_id: string;
  external_id: string;
  title: string;
  uri: string;
  mime_type: string | null;
  size_bytes: string | number;
  content_hash: string | null;
  modified_at: Date | null;
  version: number;
  reader_version: number;
  acl: string[];
  metadata: Record<string, string>;
  status: DocumentStatus;
  error_code: string | null;
  error_message: string | null;
  chunk_count: number;
  indexed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The row as the rest of Kura sees a document. */
export const toDocument = (row: DocumentRow): DocumentRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  sourceId: row.source_id,
  externalId: row.external_id,
  title: row.title,
  uri: row.uri,
  mimeType: row.mime_type,
  sizeBytes: Number(row.size_bytes),
  contentHash: row.content_hash,
  modifiedAt: row.modified_at?.toISOString() ?? null,
  version: row.version,
  readerVersion: row.reader_version,
  acl: row.acl,
  metadata: row.metadata,
  status: row.status,
  errorCode: row.error_code,
  errorMessage: row.error_message,
  chunkCount: row.chunk_count,
  indexedAt: row.indexed_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
