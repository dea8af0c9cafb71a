import { createHash, randomUUID } from 'node:crypto';
import type { DocumentRepository } from '../documents/document-repository.js';
import type { DocumentIdentity, DocumentRecord, StoredTable } from '../documents/document-types.js';
import { sameAcl } from '../documents/same-acl.js';
import type { DocumentPreparer } from './prepare-document.js';
import { readByCurrentReader } from '../parsers/reader-versions.js';
import { AppError } from '../../platform/errors/errors.js';

export type { TextAnalyzer } from './prepare-document.js';

/** Refuses bytes beyond the company's storage quota (governance/quotas) with code `quota_exceeded`. */
export interface StorageAdmission {
  admitStorage(tenantId: string, addBytes: number, replacingBytes?: number): Promise<void>;
}

/**
 * Where a file's tables (CSV, XLSX sheets) go once the document is indexed: the analytics pillar
 * loads them as typed tables. It records its own refusals; a failure never un-indexes the file.
 */
export interface TableSink {
  tablesIndexed(tenantId: string, documentId: string, tables: StoredTable[]): Promise<void>;
}

export type IngestOutcome =
  | { status: 'indexed' | 'unchanged'; document: DocumentRecord }
  | { status: 'failed' | 'skipped'; document: DocumentRecord; code: string; message: string };

/**
 * One file's way into the index: hash → (unchanged? stop) → prepare (parse → chunk → analyse) → store the
 * document and its chunks in one transaction. A file that cannot be parsed is recorded with its
 * reason; what was indexed before stays searchable.
 */
export class IngestService {
  constructor(
    private readonly documents: DocumentRepository,
    /** Parse → chunk → analyse: on worker threads (src/ingest/workers) or inline (`inlinePreparer`). */
    private readonly preparer: DocumentPreparer,
    private readonly storage?: StorageAdmission,
    private readonly tables?: TableSink,
  ) {}

  /** The storage quota's refusal, recorded on the document like any other reason a file is not indexed. */
  private async overQuota(
    tenantId: string,
    size: number,
    existing: DocumentRecord | undefined,
  ): Promise<{ code: string; message: string } | undefined> {
    if (!this.storage) return undefined;
    try {
      await this.storage.admitStorage(
        tenantId,
        size,
        existing?.status === 'indexed' ? existing.sizeBytes : 0,
      );
      return undefined;
    } catch (error) {
      if (error instanceof AppError && error.code === 'quota_exceeded')
        return { code: error.code, message: error.message };
      throw error;
    }
  }

  /** The document stored for this identity; none looked up when the caller knows it is absent. */
  private async stored(
    tenantId: string,
    identity: DocumentIdentity,
    absent: boolean | undefined,
  ): Promise<DocumentRecord | undefined> {
    if (absent) return undefined;
    return this.documents.findByExternalId(tenantId, identity.sourceId, identity.externalId);
  }

  /**
   * `known.absent`: the caller's stored state (a sync's plan) holds no document for this identity,
   * so the look-up is skipped; one written meanwhile by another run is still matched by the
   * write's upsert, which keeps its id and replaces its chunks.
   */
  async ingest(
    tenantId: string,
    identity: DocumentIdentity,
    bytes: Buffer,
    known: { absent?: boolean } = {},
  ): Promise<IngestOutcome> {
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const existing = await this.stored(tenantId, identity, known.absent);
    // A file an older version of its format's reader read is read again (parsers/reader-versions.ts).
    if (existing && unchanged(existing, contentHash, identity.acl) && readByCurrentReader(existing))
      return { status: 'unchanged', document: existing };
    const id = existing?.id ?? randomUUID();
    const refused = await this.overQuota(tenantId, bytes.length, existing);
    if (refused) {
      const document = await this.documents.saveFailure(tenantId, {
        id,
        identity,
        mimeType: null,
        contentHash,
        code: refused.code,
        message: refused.message,
        skipped: false,
      });
      return { status: 'failed', document, ...refused };
    }
    const prepared = await this.preparer.prepareFile(bytes, identity.title);
    if (!prepared.ok) {
      const skipped = prepared.code === 'unsupported_type';
      const document = await this.documents.saveFailure(tenantId, {
        id,
        identity,
        mimeType: null,
        contentHash,
        code: prepared.code,
        message: prepared.message,
        skipped,
      });
      return {
        status: skipped ? 'skipped' : 'failed',
        document,
        code: prepared.code,
        message: prepared.message,
      };
    }
    const document = await this.documents.saveIndexed(tenantId, {
      id,
      identity: { ...identity, title: prepared.title || identity.title },
      mimeType: prepared.mimeType,
      contentHash,
      metadata: prepared.metadata,
      chunks: prepared.chunks,
      tables: prepared.tables,
    });
    if (this.tables && prepared.tables.length > 0)
      await this.tables.tablesIndexed(tenantId, document.id, prepared.tables);
    return { status: 'indexed', document };
  }

  /**
   * Text that needs no parsing (a database row rendered by its table's template): one section
   * anchored at `heading`, chunked, analysed and stored like a file, unchanged when its hash is.
   */
  async ingestText(
    tenantId: string,
    identity: DocumentIdentity,
    text: string,
    options: { heading?: string; metadata?: Record<string, string>; absent?: boolean } = {},
  ): Promise<IngestOutcome> {
    const contentHash = createHash('sha256').update(text).digest('hex');
    // `absent`: as for ingest(), the caller's stored state holds no document for this identity.
    const existing = await this.stored(tenantId, identity, options.absent);
    // No format's reader made this text, so reader versions do not apply to it.
    if (existing && unchanged(existing, contentHash, identity.acl))
      return { status: 'unchanged', document: existing };
    const id = existing?.id ?? randomUUID();
    if (text.trim() === '') {
      const document = await this.documents.saveFailure(tenantId, {
        id,
        identity,
        mimeType: 'text/plain',
        contentHash,
        code: 'empty_file',
        message: 'The record renders to no text.',
        skipped: false,
      });
      return { status: 'failed', document, code: 'empty_file', message: 'The record renders to no text.' };
    }
    const chunks = await this.preparer.prepareText(text, options.heading);
    const document = await this.documents.saveIndexed(tenantId, {
      id,
      identity,
      mimeType: 'text/plain',
      contentHash,
      metadata: options.metadata ?? {},
      chunks,
      tables: [],
    });
    return { status: 'indexed', document };
  }
}

/** Indexed, without error, from the same content, with the same ACL: nothing to write. */
const unchanged = (existing: DocumentRecord, contentHash: string, acl: string[]) =>
  existing.status === 'indexed' &&
  existing.contentHash === contentHash &&
  existing.errorCode === null &&
  sameAcl(existing.acl, acl);
