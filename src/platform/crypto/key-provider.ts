import { decrypt, encrypt } from './aes-gcm.js';

/**
 * Wraps and unwraps data keys. The local provider holds the master key in memory; a cloud KMS
 * (AWS KMS, Azure Key Vault, Google Cloud KMS) implements the same two calls, and `id` is stored
 * beside each wrapped key so keys wrapped by different providers can coexist during a migration.
 */
export interface KeyProvider {
  readonly id: string;
  wrap(dataKey: Buffer, scope: string): Promise<string>;
  unwrap(wrapped: string, scope: string): Promise<Buffer>;
}

export class LocalKeyProvider implements KeyProvider {
  readonly id = 'local';

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  }

  async wrap(dataKey: Buffer, scope: string): Promise<string> {
    return encrypt(this.masterKey, dataKey, `data-key:${scope}`).toString('base64');
  }

  async unwrap(wrapped: string, scope: string): Promise<Buffer> {
    return decrypt(this.masterKey, Buffer.from(wrapped, 'base64'), `data-key:${scope}`);
  }
}
