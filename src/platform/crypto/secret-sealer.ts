import { ConfigError } from '../errors/errors.js';
import { isSealed } from './keyring.js';

/** What a repository needs to keep a credential encrypted at rest (the Keyring provides it). */
export interface SecretSealer {
  seal(scope: string, plaintext: string): Promise<string>;
  open(scope: string, sealed: string): Promise<string>;
}

const noSealer = (): never => {
  throw new ConfigError('credentials cannot be stored or read: no key ring was given', 'keyring_missing');
};

/** Seals a value for storage; null stays null. Without a key ring nothing is written in plaintext. */
export async function sealNullable(
  sealer: SecretSealer | undefined,
  scope: string,
  value: string | null,
): Promise<string | null> {
  if (value === null) return null;
  return (sealer ?? noSealer()).seal(scope, value);
}

/** Opens a stored value; a plaintext one from before encryption at rest (see seal-existing-secrets.ts) reads as is. */
export async function openNullable(
  sealer: SecretSealer | undefined,
  scope: string,
  value: string | null,
): Promise<string | null> {
  if (value === null || !isSealed(value)) return value;
  return (sealer ?? noSealer()).open(scope, value);
}
