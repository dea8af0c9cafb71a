import type { StoredTable } from '../../ingest/documents/document-types.js';
import type { TableSink } from '../../ingest/pipeline/ingest-service.js';
import type { Logger } from '../../platform/log/logger.js';
import { OPERATOR } from '../../tenancy/actor.js';
import type { AnalyticsService } from '../service/analytics-service.js';
import type { ModelRepository } from '../service/model-repository.js';
import { UPLOADED_SOURCE, type UploadedTableStore } from './uploaded-table-store.js';

/**
 * The ingestion hook: every sheet of an indexed CSV/XLSX file is loaded as a table of the company,
 * and a semantic model is proposed over the uploaded tables — unless a person has saved one (or the
 * model in force reads a database source), which is never overwritten.
 */
export class AnalyticsTableSink implements TableSink {
  constructor(
    private readonly store: UploadedTableStore,
    private readonly models: ModelRepository,
    private readonly service: AnalyticsService,
    private readonly logger?: Logger,
    private readonly proposeModels = true,
  ) {}

  async tablesIndexed(tenantId: string, documentId: string, tables: StoredTable[]): Promise<void> {
    let loaded = 0;
    for (const [ordinal, table] of tables.entries()) {
      try {
        const outcome = await this.store.load(tenantId, { documentId, ordinal, ...table });
        if (outcome.status === 'loaded') loaded++;
        else this.logger?.warn({ tenantId, documentId, table: table.name }, outcome.message);
      } catch (error) {
        // The document stays indexed for search; the registry keeps no half-loaded table (one transaction).
        this.logger?.error({ tenantId, documentId, table: table.name, err: error }, 'loading a sheet failed');
      }
    }
    if (loaded === 0 || !this.proposeModels) return;
    const current = await this.models.current(tenantId);
    if (current && !(current.origin === 'proposed' && current.model.source === UPLOADED_SOURCE)) return;
    try {
      await this.service.proposeModel(OPERATOR, tenantId, UPLOADED_SOURCE);
    } catch (error) {
      this.logger?.warn({ tenantId, err: error }, 'no model could be proposed from the uploaded tables');
    }
  }
}
