import { z } from 'zod';
import { GLOBAL_SCOPE } from '../platform/crypto/keyring.js';
import type { Runtime } from './runtime.js';

interface KeyOperation<S extends z.ZodType> {
  args: S;
  run(rt: Runtime, a: z.infer<S>): Promise<unknown>;
}
const op = <S extends z.ZodType>(
  args: S,
  run: (rt: Runtime, a: z.infer<S>) => Promise<unknown>,
): KeyOperation<S> => ({ args, run });

/** `kura keys rotate` (merged into operations.ts); runs in the server when one holds the data directory. */
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
};
