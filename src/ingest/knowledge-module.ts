import type { Database } from '../platform/db/database.js';
import { SourceRepository } from '../connectors/source-repository.js';
import { createAnalyzer, type KuraAnalyzer } from '../search/analysis/create-analyzer.js';
import { DocumentRepository } from './documents/document-repository.js';
import { IngestService } from './pipeline/ingest-service.js';

/**
 * Wires the knowledge pillar (sources, documents, ingestion; search joins here) over one database.
 * The Japanese dictionary costs about a second and 250 MB to load, so it loads on first use: an
 * operator command that only creates a company never pays for it.
 */
export function createKnowledge(db: Database) {
  let analyzer: Promise<KuraAnalyzer> | undefined;
  const repos = { sources: new SourceRepository(db), documents: new DocumentRepository(db) };
  const loadAnalyzer = () => (analyzer ??= createAnalyzer());
  return {
    repos,
    analyzer: loadAnalyzer,
    ingest: async () => new IngestService(repos.documents, await loadAnalyzer()),
  };
}

export type Knowledge = ReturnType<typeof createKnowledge>;
