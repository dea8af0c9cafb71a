import { z } from 'zod';
import { monthSchema, type UsageReportService } from '../../../governance/chargeback/usage-report.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema, idParams } from '../../schemas.js';

const modelUsage = z.object({
  provider: z.string(),
  model: z.string(),
  requests: z.number(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  costJpy: z.number().nullable(),
});
const reportSchema = z.object({
  groupId: z.string(),
  month: z.string(),
  currency: z.literal('JPY'),
  companies: z.array(
    z.object({
      companyId: z.string(),
      slug: z.string(),
      name: z.string(),
      models: z.array(modelUsage),
      requests: z.number(),
      tokensIn: z.number(),
      tokensOut: z.number(),
      costJpy: z.number(),
      documents: z.number(),
      storageBytes: z.number(),
    }),
  ),
  totals: z.object({
    requests: z.number(),
    tokensIn: z.number(),
    tokensOut: z.number(),
    costJpy: z.number(),
    documents: z.number(),
    storageBytes: z.number(),
  }),
  unpriced: z.array(z.string()),
});

/** Group chargeback: the group admin (or operator) sees figures per company and model, never content. */
export function usageRoutes(app: ZodApp, usage: UsageReportService): void {
  app.get(
    '/api/v1/groups/:id/usage',
    {
      schema: {
        tags: ['groups'],
        summary: "A month's model usage, cost in JPY, documents and storage per company of the group",
        params: idParams,
        querystring: z.object({ month: monthSchema }),
        response: { 200: reportSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) => usage.report(actorOf(request), request.params.id, request.query.month),
  );
}
