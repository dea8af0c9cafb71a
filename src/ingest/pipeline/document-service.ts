import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { principalSchema } from '../../connectors/acl.js';
import type { Source } from '../../connectors/source-repository.js';
import { NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import { authorizeOn, mayEver, type Action } from '../../tenancy/policies.js';
import type { DocumentRepository } from '../documents/document-repository.js';
import type { DocumentRecord } from '../documents/document-types.js';
import { principalsOf as searchPrincipals } from '../../search/principals.js';
import { safeFileName } from '../parsers/file-name.js';
import type { DocumentChunk, DocumentQueryRepository } from './document-query-repository.js';
import type { IngestOutcome, IngestService } from './ingest-service.js';

export const listDocumentsQuery = z.object({
  sourceId: z.string().uuid().optional(),
  status: z.enum(['indexed', 'failed', 'skipped']).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const uploadAclInput = z
  .string()
  .max(4000)
  .transform((value) =>
    value
      .split(',')
      .map((principal) => principal.trim())
      .filter((principal) => principal !== ''),
  )
  .pipe(z.array(principalSchema).max(100));

export interface UploadedFile {
  /** The temporary file the upload was streamed to. */
  path: string;
  /** The name the client sent: a hint for the title and type detection, never used as a path. */
  fileName: string | undefined;
  acl?: string[];
}

export interface DocumentServiceDeps {
  documents: DocumentRepository;
  queries: DocumentQueryRepository;
  ingest: () => Promise<IngestService>;
  uploadSource: (tenantId: string) => Promise<Source>;
}

/**
 * Documents of a company as its people see them. Admins see every document (they set the ACLs);
 * members and viewers only those whose ACL names everyone or them (API keys: everyone only); a
 * document they may not see answers 404 like one of another company.
 */
export class DocumentService {
  constructor(private readonly deps: DocumentServiceDeps) {}

  async list(
    actor: Actor,
    tenantId: string,
    query: z.input<typeof listDocumentsQuery>,
  ): Promise<{ documents: DocumentRecord[]; total: number }> {
    this.check(actor, 'document.list', tenantId);
    const parsed = listDocumentsQuery.parse(query);
    return this.deps.queries.list(tenantId, {
      sourceId: parsed.sourceId,
      status: parsed.status,
      query: parsed.q,
      principals: visibleTo(actor),
      limit: parsed.limit,
      offset: parsed.offset,
    });
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<DocumentRecord> {
    // Addressed by id, a document answers 404 to a role that may read none (a group admin): the id
    // names nothing it can see, whichever company the document belongs to.
    if (!mayEver(actor, 'document.read')) throw new NotFoundError('Document');
    this.check(actor, 'document.read', tenantId);
    const document = await this.deps.queries.find(tenantId, id, visibleTo(actor));
    if (!document) throw new NotFoundError('Document');
    return document;
  }

  /** The document and its text, chunk by chunk (for the console's viewer and citations). */
  async text(
    actor: Actor,
    tenantId: string,
    id: string,
  ): Promise<{ document: DocumentRecord; chunks: DocumentChunk[] }> {
    const document = await this.get(actor, tenantId, id);
    return { document, chunks: await this.deps.queries.chunks(tenantId, id) };
  }

  async remove(actor: Actor, tenantId: string, id: string): Promise<void> {
    this.check(actor, 'document.delete', tenantId);
    if (!(await this.deps.documents.delete(tenantId, id))) throw new NotFoundError('Document');
  }

  /** Checked before the body is read, so a caller who may not upload never fills the disk. */
  checkUpload(actor: Actor, tenantId: string): void {
    this.check(actor, 'document.create', tenantId);
  }

  /**
   * Indexes an uploaded file into the company's upload source. The type is sniffed from the
   * content by the parsers; the same content uploaded again returns the existing document.
   */
  async upload(actor: Actor, tenantId: string, file: UploadedFile): Promise<IngestOutcome> {
    this.check(actor, 'document.create', tenantId);
    const bytes = await readFile(file.path);
    const source = await this.deps.uploadSource(tenantId);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const acl = file.acl && file.acl.length > 0 ? [...new Set(file.acl)].sort() : ['everyone'];
    const same =
      bytes.length > 0 ? await this.deps.queries.findByContentHash(tenantId, source.id, hash) : undefined;
    if (same && same.acl.join('\n') === acl.join('\n')) return { status: 'unchanged', document: same };
    const name = safeFileName(file.fileName);
    const externalId = `upload:${randomUUID()}`;
    return (await this.deps.ingest()).ingest(
      tenantId,
      {
        sourceId: source.id,
        externalId,
        title: name?.baseName ?? 'upload',
        uri: `kura://uploads/${externalId.slice(7)}/${encodeURIComponent(name?.baseName ?? 'upload')}`,
        sizeBytes: bytes.length,
        modifiedAt: new Date(),
        acl,
      },
      bytes,
    );
  }

  private check(actor: Actor, action: Action, tenantId: string): void {
    authorizeOn(actor, action, { tenantId, groupId: null }, 'Document');
  }
}

/**
 * Whom the caller counts as for document ACLs (the same principals as search, src/search); none
 * for company admins and the operator, who manage the documents and so see all of them.
 */
export function visibleTo(actor: Actor): string[] | undefined {
  if (actor.role === 'operator' || actor.role === 'admin') return undefined;
  return searchPrincipals(actor) ?? undefined;
}
