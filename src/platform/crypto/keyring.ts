import { randomBytes } from 'node:crypto';
import { AppError } from '../errors/errors.js';
import { decrypt, encrypt } from './aes-gcm.js';
import type { DataKeyRepository } from './data-key-repository.js';
import type { KeyProvider } from './key-provider.js';

/** Scope of operator-level secrets (model provider credentials); every other scope is a company id. */
export const GLOBAL_SCOPE = 'global';

const PREFIX = 'kura-sealed:v1:';
const SEALED = /^kura-sealed:v1:(\d+):([A-Za-z0-9_-]+)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A sealed value that cannot be opened: wrong scope, tampered, or its key destroyed. */
export class SecretUnavailableError extends AppError {
  constructor(message: string) {
    super(500, 'secret_unavailable', message, true);
  }
}

/** Is this column value sealed (as opposed to a plaintext secret written before encryption at rest)? */
export const isSealed = (value: string): boolean => value.startsWith(PREFIX);

/**
 * Envelope encryption: one AES-256-GCM data key per scope (a company, or 'global'), wrapped by the
 * KeyProvider's master key and stored in `data_keys`. `seal` writes
 * `kura-sealed:v1:<key version>:<iv|tag|ciphertext>` with the scope as associated data, so a value
 * only opens in the scope that sealed it. Deleting a scope's data keys (`forget`) makes all its
 * sealed values unreadable (crypto-shredding); rotation adds a version and re-seals.
 */
export class Keyring {
  private readonly keys = new Map<string, Promise<{ version: number; key: Buffer }>>();

  constructor(
    private provider: KeyProvider,
    private readonly repository: DataKeyRepository,
  ) {}

  /**
   * A new version of the scope's data key becomes current: later seals use it, values sealed with
   * older versions still open until re-sealed (see key-rotation.ts).
   */
  async rotate(scope: string): Promise<number> {
    checkScope(scope);
    const latest = await this.repository.latest(scope);
    // A process with the wrong master key must not add a version that the others cannot unwrap.
    if (latest) await this.unwrap(latest.wrappedKey, scope);
    const stored = await this.repository.insertOrGet({
      scope,
      version: (latest?.version ?? 0) + 1,
      provider: this.provider.id,
      wrappedKey: await this.provider.wrap(randomBytes(32), scope),
    });
    const entry = this.unwrap(stored.wrappedKey, scope).then((key) => ({ version: stored.version, key }));
    this.keys.set(scope, entry);
    await entry;
    return stored.version;
  }

  /** After the data keys were re-wrapped under a new master key: unwrap with it from now on. */
  useProvider(provider: KeyProvider): void {
    this.provider = provider;
    this.keys.clear();
  }

  async seal(scope: string, plaintext: string): Promise<string> {
    const { version, key } = await this.currentKey(scope);
    const body = encrypt(key, Buffer.from(plaintext, 'utf8'), scope).toString('base64url');
    return `${PREFIX}${version}:${body}`;
  }

  async open(scope: string, sealed: string): Promise<string> {
    checkScope(scope);
    const match = SEALED.exec(sealed);
    if (!match) throw new SecretUnavailableError('the stored secret is not a sealed value');
    const key = await this.keyVersion(scope, Number(match[1]));
    try {
      return decrypt(key, Buffer.from(match[2]!, 'base64url'), scope).toString('utf8');
    } catch {
      throw new SecretUnavailableError(`a secret of scope ${scope} does not open with its key`);
    }
  }

  /** Destroys every data key of the scope: what it sealed is gone for good. */
  async forget(scope: string): Promise<void> {
    checkScope(scope);
    await this.repository.deleteScope(scope);
    this.keys.delete(scope);
  }

  private currentKey(scope: string): Promise<{ version: number; key: Buffer }> {
    checkScope(scope);
    let entry = this.keys.get(scope);
    if (!entry) {
      entry = this.loadOrCreate(scope);
      this.keys.set(scope, entry);
      entry.catch(() => this.keys.delete(scope));
    }
    return entry;
  }

  private async loadOrCreate(scope: string): Promise<{ version: number; key: Buffer }> {
    const stored =
      (await this.repository.latest(scope)) ??
      (await this.repository.insertOrGet({
        scope,
        version: 1,
        provider: this.provider.id,
        wrappedKey: await this.provider.wrap(randomBytes(32), scope),
      }));
    return { version: stored.version, key: await this.unwrap(stored.wrappedKey, scope) };
  }

  private async keyVersion(scope: string, version: number): Promise<Buffer> {
    const current = await this.keys.get(scope)?.catch(() => undefined);
    if (current?.version === version) return current.key;
    const stored = await this.repository.find(scope, version);
    if (!stored) throw new SecretUnavailableError(`the data key of scope ${scope} no longer exists`);
    return this.unwrap(stored.wrappedKey, scope);
  }

  private async unwrap(wrapped: string, scope: string): Promise<Buffer> {
    try {
      return await this.provider.unwrap(wrapped, scope);
    } catch {
      throw new SecretUnavailableError(
        `the data key of scope ${scope} does not unwrap: is this the master key the data was sealed with?`,
      );
    }
  }
}

function checkScope(scope: string): void {
  if (scope !== GLOBAL_SCOPE && !UUID.test(scope))
    throw new Error(`not a key scope: ${JSON.stringify(scope)}`);
}
