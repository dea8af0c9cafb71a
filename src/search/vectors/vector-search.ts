import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/log/logger.js';
import { EmbeddingIndexer } from './embedding-indexer.js';
import type { EmbeddingSource } from './embedding-target.js';
import { openVectorIndex, type VectorIndex } from './vector-index.js';
import { VectorRetrieval } from './vector-retrieval.js';

/**
 * Wires the vector half of search over one database and the model gateway: the index (pgvector or
 * exact SQL, chosen once on first use and logged), the embedding job's worker and the query side.
 */
export function createVectorSearch(db: Database, source: EmbeddingSource, logger?: Logger) {
  let opened: Promise<VectorIndex> | undefined;
  const index = () => {
    if (!opened) {
      opened = openVectorIndex(db, logger);
      opened.catch(() => (opened = undefined));
    }
    return opened;
  };
  const indexer = new EmbeddingIndexer(db, source, index, logger);
  return { index, indexer, retrieval: new VectorRetrieval(db, source, index, indexer) };
}

export type VectorSearch = ReturnType<typeof createVectorSearch>;
