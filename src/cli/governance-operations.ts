import { z } from 'zod';
import { updatePolicyInput } from '../governance/residency/residency-service.js';
import { addProviderInput } from '../platform/llm/providers/provider-service.js';
import { OPERATOR } from '../tenancy/actor.js';
import type { Runtime } from './runtime.js';

/** runOperation parses the arguments with `args` before `run` sees them. */
const define = <S extends z.ZodType>(args: S, run: (rt: Runtime, args: z.infer<S>) => Promise<unknown>) => ({
  args,
  run: (rt: Runtime, parsed: unknown) => run(rt, parsed as z.infer<S>),
});

/** Operator operations of the model gateway: providers and residency policies (see operations.ts). */
export const governanceOperations = {
  'provider.add': define(addProviderInput, (rt, a) => rt.governance.providers.add(OPERATOR, a)),
  'provider.list': define(z.object({}), (rt) => rt.governance.providers.list(OPERATOR)),
  'provider.remove': define(z.object({ name: z.string() }), async (rt, a) => {
    await rt.governance.providers.remove(OPERATOR, a.name);
    return { removed: a.name };
  }),
  'tenant.set-policy': define(
    updatePolicyInput.extend({ tenant: z.string() }),
    async (rt, { tenant, ...patch }) => {
      const company = await rt.tenancy.companies.requireBySlug(tenant);
      return Object.keys(patch).length === 0
        ? rt.governance.residency.get(OPERATOR, company.id)
        : rt.governance.residency.update(OPERATOR, company.id, patch);
    },
  ),
};
