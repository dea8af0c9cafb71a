import type { Database } from '../../db/database.js';
import type { Provider, ProviderKind } from './provider.js';

interface Row {
  id: string;
  name: string;
  kind: ProviderKind;
  base_url: string;
  api_key: string | null;
  region: string;
  chat_model: string;
  embedding_model: string | null;
  retains_data: boolean;
  created_at: Date;
}

export interface ProviderWithSealedKey extends Provider {
  sealedApiKey: string | null;
}

const toProvider = (row: Row): ProviderWithSealedKey => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  baseUrl: row.base_url,
  region: row.region,
  chatModel: row.chat_model,
  embeddingModel: row.embedding_model,
  retainsData: row.retains_data,
  hasApiKey: row.api_key !== null,
  createdAt: row.created_at.toISOString(),
  sealedApiKey: row.api_key,
});

/** `model_providers` (global): the operator's registry; the API key column holds a sealed value. */
export class ProviderRepository {
  constructor(private readonly db: Database) {}

  async insert(
    provider: Omit<ProviderWithSealedKey, 'createdAt' | 'hasApiKey'>,
  ): Promise<ProviderWithSealedKey> {
    const rows = await this.db.global((tx) =>
      tx.query<Row>(
        `INSERT INTO model_providers (id, name, kind, base_url, api_key, region, chat_model, embedding_model, retains_data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [
          provider.id,
          provider.name,
          provider.kind,
          provider.baseUrl,
          provider.sealedApiKey,
          provider.region,
          provider.chatModel,
          provider.embeddingModel,
          provider.retainsData,
        ],
      ),
    );
    return toProvider(rows[0]!);
  }

  async list(): Promise<ProviderWithSealedKey[]> {
    const rows = await this.db.global((tx) =>
      tx.query<Row>('SELECT * FROM model_providers ORDER BY created_at, name'),
    );
    return rows.map(toProvider);
  }

  async findByName(name: string): Promise<ProviderWithSealedKey | undefined> {
    const rows = await this.db.global((tx) =>
      tx.query<Row>('SELECT * FROM model_providers WHERE name = $1', [name]),
    );
    return rows[0] && toProvider(rows[0]);
  }

  async deleteByName(name: string): Promise<boolean> {
    const rows = await this.db.global((tx) =>
      tx.query('DELETE FROM model_providers WHERE name = $1 RETURNING id', [name]),
    );
    return rows.length > 0;
  }
}
