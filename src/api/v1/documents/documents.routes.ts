import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Connectors } from '../../../connectors/connectors-module.js';
import {
  listDocumentsQuery,
  uploadAclInput,
  type UploadedFile,
} from '../../../ingest/pipeline/document-service.js';
import type { IngestOutcome } from '../../../ingest/pipeline/ingest-service.js';
import { AppError, InvalidRequestError } from '../../../platform/errors/errors.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema, idParams } from '../../schemas.js';

export const documentSchema = z.object({
  id: z.string(),
  sourceId: z.string(),
  externalId: z.string(),
  title: z.string(),
  uri: z.string(),
  mimeType: z.string().nullable(),
  sizeBytes: z.number(),
  contentHash: z.string().nullable(),
  modifiedAt: z.string().nullable(),
  version: z.number(),
  acl: z.array(z.string()),
  metadata: z.record(z.string(), z.string()),
  status: z.enum(['indexed', 'failed', 'skipped']),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  chunkCount: z.number(),
  indexedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const anchorSchema = z.object({
  page: z.number().optional(),
  sheet: z.string().optional(),
  range: z.string().optional(),
  slide: z.number().optional(),
  heading: z.string().optional(),
});

const documentTextSchema = z.object({
  document: documentSchema,
  chunks: z.array(z.object({ ordinal: z.number().int(), text: z.string(), anchor: anchorSchema })),
});

const uploadResultSchema = z.object({
  fileName: z.string().nullable(),
  status: z.enum(['indexed', 'unchanged', 'failed', 'skipped']),
  document: documentSchema,
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

/** Files one request may carry, and text fields beside them. */
const MAX_FILES = 20;

/** Documents of the caller's company (filtered by their ACL), and uploads into its `uploads` source. */
export async function documentRoutes(
  app: ZodApp,
  connectors: Connectors,
  maxFileBytes: number,
): Promise<void> {
  app.get(
    '/api/v1/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Documents the caller may see, newest first; failed and skipped ones carry their reason',
        querystring: listDocumentsQuery,
        response: {
          200: z.object({ documents: z.array(documentSchema), total: z.number() }),
          403: errorSchema,
        },
      },
    },
    async (request) => connectors.documents.list(actorOf(request), tenantOf(request), request.query),
  );
  app.get(
    '/api/v1/documents/:id',
    {
      schema: { tags: ['documents'], params: idParams, response: { 200: documentSchema, 404: errorSchema } },
    },
    async (request) => connectors.documents.get(actorOf(request), tenantOf(request), request.params.id),
  );
  app.get(
    '/api/v1/documents/:id/text',
    {
      schema: {
        tags: ['documents'],
        summary: 'The document and its text, chunk by chunk in reading order, each with its anchor',
        description:
          "What the console's document viewer shows: search results and citations name a passage (anchor, quote) to find in these chunks. Plain text; render it as text, never as HTML.",
        params: idParams,
        response: { 200: documentTextSchema, 404: errorSchema },
      },
    },
    async (request) => connectors.documents.text(actorOf(request), tenantOf(request), request.params.id),
  );
  app.delete(
    '/api/v1/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary:
          'Remove a document from the index (a folder source brings it back at its next sync while the file exists)',
        params: idParams,
        response: { 204: z.null(), 404: errorSchema },
      },
    },
    async (request, reply) => {
      await connectors.documents.remove(actorOf(request), tenantOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  // Multipart parsing only in this scope: no other route accepts multipart bodies.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: {
        fileSize: maxFileBytes,
        files: MAX_FILES,
        fields: 10,
        fieldSize: 4096,
        parts: MAX_FILES + 10,
      },
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/documents',
      {
        schema: {
          tags: ['documents'],
          summary: 'Upload files (multipart/form-data) into the company’s uploads source and index them',
          description:
            'Each file part is streamed to disk (at most KURA_UPLOAD_LIMIT_MB per file), its type sniffed from its content, then indexed. ' +
            'An optional text field `acl` (before the files) limits who sees them: comma-separated `everyone`, `user:<id>`, `group:<name>`. ' +
            'The same content uploaded again returns the existing document (status `unchanged`).',
          consumes: ['multipart/form-data'],
          response: {
            200: z.object({ results: z.array(uploadResultSchema) }),
            201: z.object({ results: z.array(uploadResultSchema) }),
            400: errorSchema,
            413: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const tenantId = tenantOf(request);
        // Before a byte of the body is read: a caller who may not upload never fills the disk.
        connectors.documents.checkUpload(actor, tenantId);
        if (!request.isMultipart())
          throw new AppError(415, 'unsupported_media_type', 'Send the files as multipart/form-data.');
        const dir = await mkdtemp(path.join(os.tmpdir(), 'kura-upload-'));
        try {
          const files: UploadedFile[] = [];
          let acl: string[] | undefined;
          try {
            for await (const part of request.parts()) {
              if (part.type === 'field') {
                if (part.fieldname === 'acl') acl = uploadAclInput.parse(String(part.value));
                continue;
              }
              const target = path.join(dir, randomUUID());
              await pipeline(part.file, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
              if (part.file.truncated) throw tooLarge(part.filename, maxFileBytes);
              files.push({ path: target, fileName: part.filename, ...(acl ? { acl } : {}) });
            }
          } catch (error) {
            if (error instanceof scope.multipartErrors.RequestFileTooLargeError)
              throw tooLarge(undefined, maxFileBytes);
            if (error instanceof scope.multipartErrors.FilesLimitError) {
              throw new InvalidRequestError(`At most ${MAX_FILES} files per request.`, 'too_many_files');
            }
            throw error;
          }
          if (files.length === 0)
            throw new InvalidRequestError(
              'The request holds no file: send one or more file parts.',
              'no_file',
            );
          const results = [];
          for (const file of files) {
            const outcome: IngestOutcome = await connectors.documents.upload(actor, tenantId, file);
            results.push({
              fileName: file.fileName ?? null,
              status: outcome.status,
              document: outcome.document,
              ...(outcome.status === 'failed' || outcome.status === 'skipped'
                ? { error: { code: outcome.code, message: outcome.message } }
                : {}),
            });
          }
          return reply.status(results.some((r) => r.status === 'indexed') ? 201 : 200).send({ results });
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    );
  });
}

function tooLarge(fileName: string | undefined, maxFileBytes: number): AppError {
  const limit = `${Math.round((maxFileBytes / 1024 / 1024) * 10) / 10} MB`;
  return new AppError(
    413,
    'file_too_large',
    `${fileName ? `${fileName}: ` : ''}the file is over the upload limit of ${limit}.`,
  );
}
