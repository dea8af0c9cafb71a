import { createHash, randomUUID } from 'node:crypto';
import type { DocumentRepository } from '../documents/document-repository.js';
import type { DocumentIdentity, DocumentRecord } from '../documents/document-types.js';
import type { DocumentPreparer } from './prepare-document.js';

export type { TextAnalyzer } from './prepare-document.js';

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
  ) {}

  async ingest(tenantId: string, identity: DocumentIdentity, bytes: Buffer): Promise<IngestOutcome> {
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const existing = await this.documents.findByExternalId(tenantId, identity.sourceId, identity.externalId);
    if (
      existing &&
      existing.status === 'indexed' &&
      existing.contentHash === contentHash &&
      existing.errorCode === null &&
      sameAcl(existing.acl, identity.acl)
    ) {
      return { status: 'unchanged', document: existing };
    }
    const id = existing?.id ?? randomUUID();
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
    options: { heading?: string; metadata?: Record<string, string> } = {},
  ): Promise<IngestOutcome> {
    const contentHash = createHash('sha256').update(text).digest('hex');
    const existing = await this.documents.findByExternalId(tenantId, identity.sourceId, identity.externalId);
    if (
      existing &&
      existing.status === 'indexed' &&
      existing.contentHash === contentHash &&
      existing.errorCode === null &&
      sameAcl(existing.acl, identity.acl)
    ) {
      return { status: 'unchanged', document: existing };
    }
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

const sameAcl = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
