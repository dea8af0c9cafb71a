import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// argon2id (the library default algorithm) with OWASP's minimum memory cost of 19 MiB.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(hashed: string | null, password: string): Promise<boolean> {
  // Always spend the same work, so an unknown account cannot be told apart by timing.
  if (!hashed) {
    await verify(DUMMY_HASH ?? (DUMMY_HASH = await hashPassword('not-a-password')), password).catch(
      () => false,
    );
    return false;
  }
  return verify(hashed, password).catch(() => false);
}

let DUMMY_HASH: string | undefined;

/** A readable random password (for generated demo and invited accounts). */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}
