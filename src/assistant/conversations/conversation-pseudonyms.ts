import type { Database } from '../../platform/db/database.js';
import type { SecretSealer } from '../../platform/crypto/secret-sealer.js';
import { PseudonymMap } from '../../governance/pii/index.js';

/**
 * A conversation's pseudonym map (value ↔ placeholder), kept with the conversation so placeholders
 * stay stable across turns. It holds the personal values themselves, so it is stored sealed with the
 * company's key (Keyring scope = the company id; crypto-shredded with the company) and deleted with
 * the conversation's row. Never logged.
 */
export class ConversationPseudonyms {
  constructor(
    private readonly db: Database,
    private readonly sealer: SecretSealer,
  ) {}

  async load(tenantId: string, conversationId: string | undefined): Promise<PseudonymMap> {
    if (conversationId === undefined) return new PseudonymMap();
    const [row] = await this.db.tenant(tenantId, (tx) =>
      tx.query<{ pseudonyms_sealed: string | null }>(
        'SELECT pseudonyms_sealed FROM conversations WHERE tenant_id = $1 AND id = $2',
        [tenantId, conversationId],
      ),
    );
    if (!row?.pseudonyms_sealed) return new PseudonymMap();
    return PseudonymMap.fromJSON(JSON.parse(await this.sealer.open(tenantId, row.pseudonyms_sealed)));
  }

  async save(tenantId: string, conversationId: string, map: PseudonymMap): Promise<void> {
    if (map.size === 0) return;
    const sealed = await this.sealer.seal(tenantId, JSON.stringify(map.toJSON()));
    await this.db.tenant(tenantId, (tx) =>
      tx.query('UPDATE conversations SET pseudonyms_sealed = $3 WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        conversationId,
        sealed,
      ]),
    );
  }
}
