import { z } from 'zod';
import { auditFilterInput } from '../governance/audit/audit-service.js';
import { OPERATOR } from '../tenancy/actor.js';
import type { Runtime } from './runtime.js';

/** Method syntax on purpose: operations.ts holds operations of every argument type in one table. */
interface GovernanceOperation<S extends z.ZodType> {
  args: S;
  run(rt: Runtime, a: z.infer<S>): Promise<unknown>;
}
const op = <S extends z.ZodType>(
  args: S,
  run: (rt: Runtime, a: z.infer<S>) => Promise<unknown>,
): GovernanceOperation<S> => ({
  args,
  run,
});
const limit = z.union([z.number(), z.null()]).optional();
const companyId = async (rt: Runtime, slug: string) => (await rt.tenancy.companies.requireBySlug(slug)).id;

/** The operator's audit and quota operations (merged into operations.ts). */
export const auditOperations = {
  'audit.verify': op(z.object({ tenant: z.string() }), async (rt, a) =>
    rt.governance.auditService.verify(OPERATOR, await companyId(rt, a.tenant)),
  ),
  /** The whole export as one text: it crosses the operator socket as a single reply. */
  'audit.export': op(
    auditFilterInput.extend({ tenant: z.string(), format: z.enum(['jsonl', 'csv']).default('jsonl') }),
    async (rt, a) => {
      const { tenant, format, ...filter } = a;
      const lines = await rt.governance.auditService.export(
        OPERATOR,
        await companyId(rt, tenant),
        filter,
        format,
      );
      const parts: string[] = [];
      for await (const line of lines) parts.push(line);
      return { text: parts.join(''), events: parts.length - (format === 'csv' ? 1 : 0) };
    },
  ),
  'audit.prune': op(
    z.object({ tenant: z.string(), days: z.number().int().min(1).optional() }),
    async (rt, a) => rt.governance.auditService.prune(OPERATOR, await companyId(rt, a.tenant), a.days),
  ),
  'tenant.set-quota': op(
    z.object({ tenant: z.string(), requestsPerMinute: limit, storageMb: limit, monthlyTokens: limit }),
    async (rt, a) => {
      const { tenant, ...changes } = a;
      return rt.governance.quotas.set(OPERATOR, await companyId(rt, tenant), changes);
    },
  ),
  'tenant.get-quota': op(z.object({ tenant: z.string() }), async (rt, a) =>
    rt.governance.quotas.get(OPERATOR, await companyId(rt, a.tenant)),
  ),
};
