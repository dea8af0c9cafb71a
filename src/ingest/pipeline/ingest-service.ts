import { createHash, randomUUID } from 'node:crypto';
import { chunkSections } from '../chunking/index.js';
import type { DocumentRepository } from '../documents/document-repository.js';
import type { DocumentIdentity, DocumentRecord } from '../documents/document-types.js';
import { ParseError, parseDocument, type ParseLimits } from '../parsers/index.js';
import { flattenDocument } from './flatten-document.js';
import { AppError } from '../../platform/errors/errors.js';

/** The text analyser the search index uses (src/search/analysis): the same tokens go into the database. */
export interface TextAnalyzer {
  analyze(text: string): string[];
}

/** Refuses bytes beyond the company's storage quota (governance/quotas) with code `quota_exceeded`. */
export interface StorageAdmission {
  admitStorage(tenantId: string, addBytes: number, replacingBytes?: number): Promise<void>;
}

export type IngestOutcome =
  | { status: 'indexed' | 'unchanged'; document: DocumentRecord }
  | { status: 'failed' | 'skipped'; document: DocumentRecord; code: string; message: string };

/**
 * One file's way into the index: hash → (unchanged? stop) → parse → chunk → analyse → store the
 * document and its chunks in one transaction. A file that cannot be parsed is recorded with its
 * reason; what was indexed before stays searchable.
 */
export class IngestService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly analyzer: TextAnalyzer,
    private readonly limits?: ParseLimits,
    private readonly storage?: StorageAdmission,
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
    let parsed;
    try {
      parsed = await parseDocument(bytes, { fileName: identity.title }, this.limits);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      const skipped = error.code === 'unsupported_type';
      const document = await this.documents.saveFailure(tenantId, {
        id,
        identity,
        mimeType: null,
        contentHash,
        code: error.code,
        message: error.message,
        skipped,
      });
      return { status: skipped ? 'skipped' : 'failed', document, code: error.code, message: error.message };
    }
    const { sections, tables } = flattenDocument(parsed);
    const chunks = chunkSections(sections).map((chunk) => ({
      ordinal: chunk.ordinal,
      text: chunk.text,
      tokens: this.analyzer.analyze(chunk.text),
      anchor: chunk.anchor,
    }));
    const metadata = {
      ...parsed.metadata,
      ...(parsed.warnings.length ? { warnings: parsed.warnings.join('\n') } : {}),
    };
    const document = await this.documents.saveIndexed(tenantId, {
      id,
      identity: { ...identity, title: parsed.title || identity.title },
      mimeType: parsed.mimeType,
      contentHash,
      metadata,
      chunks,
      tables,
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
    const sections = [{ text, anchor: options.heading ? { heading: options.heading } : {} }];
    const chunks = chunkSections(sections).map((chunk) => ({
      ordinal: chunk.ordinal,
      text: chunk.text,
      tokens: this.analyzer.analyze(chunk.text),
      anchor: chunk.anchor,
    }));
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
