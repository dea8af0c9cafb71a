import { z } from 'zod';
import type { Connectors } from '../../../connectors/connectors-module.js';
import { createSourceInput, updateSourceInput } from '../../../connectors/source-service.js';
import type { JobRunner } from '../../../ingest/jobs/job-runner.js';
import type { Job } from '../../../platform/jobs/job-repository.js';
import { NotFoundError } from '../../../platform/errors/errors.js';
import { authorizeOn } from '../../../tenancy/policies.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema, idParams } from '../../schemas.js';

const sourceSchema = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  settings: z.record(z.string(), z.unknown()),
  status: z.enum(['idle', 'syncing', 'failed']),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  documents: z.object({ indexed: z.number(), failed: z.number(), skipped: z.number() }),
});

/** JobProgress; for ingest and sync jobs also files and bytes done and counts so far (IngestProgress). */
const progressSchema = z.object({
  done: z.number(),
  total: z.number().optional(),
  unit: z.string().optional(),
  message: z.string().optional(),
  phase: z.string().optional(),
  bytesDone: z.number().optional(),
  bytesTotal: z.number().optional(),
  indexed: z.number().optional(),
  unchanged: z.number().optional(),
  skipped: z.number().optional(),
  failed: z.number().optional(),
  deleted: z.number().optional(),
  elapsedMs: z.number().optional(),
});

export const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(['queued', 'running', 'succeeded', 'dead']),
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
  progress: progressSchema.nullable(),
  result: z.unknown(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A job as its company sees it (no payload: it is the queue's business). */
export const jobView = (job: Job) => ({
  id: job.id,
  name: job.name,
  state: job.state,
  attempts: job.attempts,
  maxAttempts: job.maxAttempts,
  lastError: job.lastError,
  progress: job.progress as z.infer<typeof progressSchema> | null,
  result: job.result ?? null,
  createdAt: new Date(job.createdAt).toISOString(),
  updatedAt: new Date(job.updatedAt).toISOString(),
});

/** Sources of the caller's company (admins), their sync jobs, and job status. */
export function sourceRoutes(app: ZodApp, connectors: Connectors, jobs: JobRunner): void {
  app.get(
    '/api/v1/sources',
    {
      schema: {
        tags: ['sources'],
        response: { 200: z.object({ sources: z.array(sourceSchema) }), 403: errorSchema },
      },
    },
    async (request) => ({ sources: await connectors.sources.list(actorOf(request), tenantOf(request)) }),
  );
  app.post(
    '/api/v1/sources',
    {
      schema: {
        tags: ['sources'],
        summary:
          'Add a folder source (its path must lie under a folder the operator allows: KURA_FOLDER_ROOTS)',
        body: createSourceInput,
        response: { 201: sourceSchema, 403: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await connectors.sources.create(actorOf(request), tenantOf(request), request.body)),
  );
  app.get(
    '/api/v1/sources/:id',
    { schema: { tags: ['sources'], params: idParams, response: { 200: sourceSchema, 404: errorSchema } } },
    async (request) => connectors.sources.get(actorOf(request), tenantOf(request), request.params.id),
  );
  app.patch(
    '/api/v1/sources/:id',
    {
      schema: {
        tags: ['sources'],
        summary: 'Rename a source or change its settings (globs, ACL mapping); the next sync applies them',
        params: idParams,
        body: updateSourceInput,
        response: { 200: sourceSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) =>
      connectors.sources.update(actorOf(request), tenantOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/v1/sources/:id',
    {
      schema: {
        tags: ['sources'],
        summary: 'Remove a source and its documents',
        params: idParams,
        response: { 204: z.null(), 404: errorSchema },
      },
    },
    async (request, reply) => {
      await connectors.sources.remove(actorOf(request), tenantOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/sources/:id/sync',
    {
      schema: {
        tags: ['sources'],
        summary: 'Queue a sync of the source; follow it with GET /api/v1/jobs/:id',
        params: idParams,
        response: { 202: jobSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const tenantId = tenantOf(request);
      authorizeOn(actor, 'source.sync', { tenantId, groupId: null }, 'Source');
      const source = await connectors.sources.get(actor, tenantId, request.params.id);
      const job = await jobs.enqueue(
        'source.sync',
        { tenantId, sourceId: source.id },
        { tenantId, dedupeKey: `source.sync:${source.id}` },
      );
      return reply.status(202).send(jobView(job));
    },
  );
  app.get(
    '/api/v1/jobs/:id',
    {
      schema: {
        tags: ['sources'],
        summary: 'A background job of the company: state, progress (files, bytes), result or reason',
        params: idParams,
        response: { 200: jobSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const tenantId = tenantOf(request);
      authorizeOn(actor, 'job.read', { tenantId, groupId: null }, 'Job');
      const job = await jobs.repository.findForTenant(tenantId, request.params.id);
      if (!job) throw new NotFoundError('Job');
      return jobView(job);
    },
  );
}
