import { Readable } from 'node:stream';
import { z } from 'zod';
import { auditFilterInput } from '../../../governance/audit/audit-service.js';
import type { Governance } from '../../../governance/governance-module.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema } from '../../schemas.js';

const eventSchema = z.object({
  tenantId: z.string(),
  seq: z.number(),
  id: z.string(),
  occurredAt: z.string(),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'denied']),
  actor: z.object({ kind: z.string(), id: z.string().nullable() }),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

const listQuery = auditFilterInput.extend({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('continue after this sequence number (nextAfter)'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The caller's company's audit log (company admins): filtered pages, a streamed export, a chain check. */
export function auditRoutes(app: ZodApp, governance: Governance): void {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit events of your company, oldest first; continue with ?after=<nextAfter>',
        querystring: listQuery,
        response: {
          200: z.object({ events: z.array(eventSchema), nextAfter: z.number().nullable() }),
          400: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (request) => governance.auditService.list(actorOf(request), tenantOf(request), request.query),
  );
  app.get(
    '/api/v1/audit/export',
    {
      schema: {
        tags: ['audit'],
        summary: 'Every matching event as JSON Lines (default) or CSV, streamed',
        querystring: auditFilterInput.extend({ format: z.enum(['jsonl', 'csv']).default('jsonl') }),
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const lines = await governance.auditService.export(actorOf(request), tenantOf(request), filter, format);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header(
          'content-type',
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        )
        .header('content-disposition', `attachment; filename="audit-${day}.${format}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(lines));
    },
  );
  app.get(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: "Checks your company's hash chain; names the first bad event",
        response: {
          200: z.object({
            ok: z.boolean(),
            events: z.number().optional(),
            seq: z.number().optional(),
            problem: z.string().optional(),
            message: z.string().optional(),
          }),
          403: errorSchema,
        },
      },
    },
    async (request) => governance.auditService.verify(actorOf(request), tenantOf(request)),
  );
}
