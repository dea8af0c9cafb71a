import { SecretUnavailableError } from './keyring.js';
import type { DataKeyRepository } from './data-key-repository.js';
import type { KeyProvider } from './key-provider.js';

export interface RewrapOutcome {
  /** Data keys now wrapped by the new master key. */
  rewrapped: number;
  /** Already wrapped by it (an earlier, interrupted rotation): left as they are. */
  already: number;
}

/**
 * Re-wraps every data key under a new master key, one row at a time: the data keys themselves do
 * not change, so no sealed value is touched and nothing stops. Each row is updated only if it is
 * still the wrapping that was read; a row that already opens with the new key is skipped, so an
 * interrupted rotation is finished by running it again. A row that opens with neither key stops the
 * rotation before anything else is changed for it.
 */
export async function rewrapDataKeys(
  repository: DataKeyRepository,
  from: KeyProvider,
  to: KeyProvider,
): Promise<RewrapOutcome> {
  const outcome: RewrapOutcome = { rewrapped: 0, already: 0 };
  for (const stored of await repository.listAll()) {
    if (await opens(to, stored.wrappedKey, stored.scope)) {
      outcome.already += 1;
      continue;
    }
    let key: Buffer;
    try {
      key = await from.unwrap(stored.wrappedKey, stored.scope);
    } catch {
      throw new SecretUnavailableError(
        `the data key ${stored.scope} v${stored.version} opens with neither the current nor the new master key`,
      );
    }
    const wrapped = await to.wrap(key, stored.scope);
    if (await repository.rewrap(stored, wrapped, to.id)) outcome.rewrapped += 1;
    else outcome.already += 1;
  }
  return outcome;
}

async function opens(provider: KeyProvider, wrapped: string, scope: string): Promise<boolean> {
  try {
    await provider.unwrap(wrapped, scope);
    return true;
  } catch {
    return false;
  }
}
