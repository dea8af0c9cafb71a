import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { ConflictError } from '../../platform/errors/errors.js';
import type { SemanticModel } from '../model/semantic-model.js';

export interface StoredModel {
  version: number;
  yaml: string;
  model: SemanticModel;
  origin: 'proposed' | 'edited';
  createdBy: string | null;
  createdAt: string;
}

interface Row {
  version: number;
  yaml: string;
  model: SemanticModel;
  origin: 'proposed' | 'edited';
  created_by: string | null;
  created_at: Date;
}

const toStored = (r: Row): StoredModel => ({
  version: r.version,
  yaml: r.yaml,
  model: r.model,
  origin: r.origin,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

/** The semantic models of a company: every version kept, the newest in force. */
export class ModelRepository {
  constructor(private readonly db: Database) {}

  async current(tenantId: string): Promise<StoredModel | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<Row>(
        `SELECT version, yaml, model, origin, created_by, created_at FROM analytics_models
          WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1`,
        [tenantId],
      ),
    );
    return rows[0] && toStored(rows[0]);
  }

  /** Saves the next version; a concurrent save of the same version loses with a conflict. */
  async save(
    tenantId: string,
    entry: { yaml: string; model: SemanticModel; origin: 'proposed' | 'edited'; createdBy: string | null },
  ): Promise<StoredModel> {
    try {
      const rows = await this.db.tenant(tenantId, (tx) =>
        tx.query<Row>(
          `INSERT INTO analytics_models (tenant_id, version, yaml, model, origin, created_by)
           SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM analytics_models WHERE tenant_id = $1
           RETURNING version, yaml, model, origin, created_by, created_at`,
          [tenantId, entry.yaml, JSON.stringify(entry.model), entry.origin, entry.createdBy],
        ),
      );
      return toStored(rows[0]!);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError('The model was changed at the same time; try again.', 'model_conflict');
      throw error;
    }
  }
}
