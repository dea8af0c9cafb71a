import { z } from 'zod';
import { GLOBAL_SCOPE } from '../platform/crypto/keyring.js';
import type { Runtime } from './runtime.js';
import { OPERATOR } from '../tenancy/actor.js';

interface KeyOperation<S extends z.ZodType> {
  args: S;
  run(rt: Runtime, a: z.infer<S>): Promise<unknown>;
}
const op = <S extends z.ZodType>(
  args: S,
  run: (rt: Runtime, a: z.infer<S>) => Promise<unknown>,
): KeyOperation<S> => ({ args, run });

/** `kura keys rotate` and `kura usage report` (merged into operations.ts); run in the server when one holds the data directory. */
export const keyOperations = {
  'keys.rotate-master': op(z.object({ newMasterKey: z.string().min(1) }), (rt, a) =>
    rt.keys.rotateMaster(a.newMasterKey),
  ),
  /** `tenant`: a company slug, or `global` for the operator's secrets (model provider keys). */
  'keys.rotate-data-key': op(z.object({ tenant: z.string() }), async (rt, a) =>
    rt.keys.rotateDataKey(
      a.tenant === GLOBAL_SCOPE ? GLOBAL_SCOPE : (await rt.tenancy.companies.requireBySlug(a.tenant)).id,
    ),
  ),
  'usage.report': op(z.object({ group: z.string(), month: z.string() }), async (rt, a) =>
    rt.usage.report(OPERATOR, (await rt.tenancy.groups.requireBySlug(a.group)).id, a.month),
  ),
};
