import { z } from 'zod';
import type { Governance } from '../../../governance/governance-module.js';
import { setGroupBudgetInput } from '../../../governance/quotas/group-budget-service.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema, idParams } from '../../schemas.js';

const budgetSchema = z.object({
  groupId: z.string(),
  month: z.string(),
  monthlyTokens: z.number().nullable(),
  split: z.enum(['shares', 'fixed']).nullable(),
  usedTokens: z.number(),
  companies: z.array(
    z.object({
      companyId: z.string(),
      slug: z.string(),
      name: z.string(),
      value: z.number(),
      allowanceTokens: z.number().nullable(),
      usedTokens: z.number(),
    }),
  ),
  updatedAt: z.string().nullable(),
});

/** A group's monthly token budget split across its companies: the group admin (or operator) sets it. */
export function groupBudgetRoutes(app: ZodApp, governance: Governance): void {
  app.get(
    '/api/v1/groups/:id/budget',
    {
      schema: {
        tags: ['groups'],
        summary: "The group's monthly token budget, its split, and this month's use per company",
        params: idParams,
        response: { 200: budgetSchema, 404: errorSchema },
      },
    },
    async (request) => governance.groupBudgets.get(actorOf(request), request.params.id),
  );
  app.put(
    '/api/v1/groups/:id/budget',
    {
      schema: {
        tags: ['groups'],
        summary:
          'Set the group budget: monthlyTokens, split "shares" (budget × share / Σ shares) or "fixed" (tokens each); a company not listed gets 0',
        params: idParams,
        body: setGroupBudgetInput,
        response: { 200: budgetSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => governance.groupBudgets.set(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/v1/groups/:id/budget',
    {
      schema: {
        tags: ['groups'],
        summary: 'Remove the group budget (each company keeps its own limits)',
        params: idParams,
        response: { 200: budgetSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => governance.groupBudgets.remove(actorOf(request), request.params.id),
  );
}
