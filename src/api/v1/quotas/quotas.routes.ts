import { z } from 'zod';
import type { Governance } from '../../../governance/governance-module.js';
import { setQuotaInput } from '../../../governance/quotas/quota-service.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema, idParams } from '../../schemas.js';

const quotaSchema = z.object({
  tenantId: z.string(),
  requestsPerMinute: z.number().nullable(),
  storageMb: z.number().nullable(),
  monthlyTokens: z.number().nullable(),
  updatedAt: z.string().nullable(),
  usage: z.object({ storageBytes: z.number() }),
});

/** A company's limits: its admins and group admins read them; the group admin (or operator) sets them. */
export function quotaRoutes(app: ZodApp, governance: Governance): void {
  app.get(
    '/api/v1/companies/:id/quota',
    {
      schema: {
        tags: ['companies'],
        summary: 'Requests per minute, storage cap and monthly token budget (null: unlimited), with usage',
        params: idParams,
        response: { 200: quotaSchema, 404: errorSchema },
      },
    },
    async (request) => governance.quotas.get(actorOf(request), request.params.id),
  );
  app.put(
    '/api/v1/companies/:id/quota',
    {
      schema: {
        tags: ['companies'],
        summary: 'Set limits (group admin, operator); null lifts one, an absent field keeps its value',
        params: idParams,
        body: setQuotaInput,
        response: { 200: quotaSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => governance.quotas.set(actorOf(request), request.params.id, request.body),
  );
}
