import { createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../platform/errors/errors.js';

/**
 * The secret behind the audit log's keyed hashes: checkpoint signatures and query pseudonyms. Each
 * use gets its own subkey (HMAC of a label), so a pseudonym can never be replayed as a signature.
 */
export class AuditKey {
  private constructor(private readonly secret: Buffer) {}

  static fromSecret(secret: string | Buffer): AuditKey {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (bytes.length < 32) throw new ConfigError('KURA_AUDIT_KEY needs at least 32 characters');
    return new AuditKey(bytes);
  }

  /**
   * The configured key, or for a single machine `<dataDir>/audit.key` (created once, mode 0600).
   * Several hosts against one server database need the same KURA_AUDIT_KEY.
   */
  static async load(configured: string | undefined, dataDir: string): Promise<AuditKey> {
    if (configured) return AuditKey.fromSecret(configured);
    const file = path.join(dataDir, 'audit.key');
    try {
      return AuditKey.fromSecret(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await mkdir(dataDir, { recursive: true });
    const secret = randomBytes(32);
    // 'wx': two processes starting together must not overwrite each other's key.
    await writeFile(file, `${secret.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' }).catch(
      async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
    await chmod(file, 0o600);
    return AuditKey.fromSecret(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url'));
  }

  /** HMAC-SHA-256 (hex) of `data` under the subkey for `purpose`. */
  mac(purpose: 'checkpoint' | 'query', data: string): string {
    const subkey = createHmac('sha256', this.secret).update(`kura-audit:${purpose}`).digest();
    return createHmac('sha256', subkey).update(data).digest('hex');
  }
}
