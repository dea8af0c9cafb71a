import type { Database } from '../platform/db/database.js';
import type { Logger } from '../platform/log/logger.js';
import type { SecretSealer } from '../platform/crypto/secret-sealer.js';
import { SourceRepository } from '../connectors/source-repository.js';
import { createAnalyzer, type KuraAnalyzer } from '../search/analysis/create-analyzer.js';
import type { IpadicDictionary } from '../search/analysis/ipadic-dictionary.js';
import { loadDefaultDictionary, loadKuromojiTokenizer } from '../search/analysis/kuromoji-tokenizer.js';
import { LexicalSearch, type LexicalSearchOptions } from '../search/lexical/lexical-search.js';
import { SearchService } from '../search/search-service.js';
import { SynonymRepository } from '../search/synonyms/synonym-repository.js';
import { SynonymService } from '../search/synonyms/synonym-service.js';
import { createVectorSearch } from '../search/vectors/vector-search.js';
import type { EmbeddingSource } from '../search/vectors/embedding-target.js';
import { SynonymExpander } from '../search/synonyms/synonym-expansion.js';
import { DocumentRepository } from './documents/document-repository.js';
import { IngestService } from './pipeline/ingest-service.js';
import { inlinePreparer } from './pipeline/prepare-document.js';

export interface KnowledgeOptions {
  logger?: Logger | undefined;
  /** Which BM25 path search uses; default 'auto' (pg_textsearch when the database has it). */
  searchEngine?: LexicalSearchOptions['engine'];
  /** pg_textsearch's in-memory table bound (tests and benchmarks; see MEMTABLE_SPILL_POSTINGS). */
  searchSpillPostings?: number | undefined;
  /** Seals database sources' credentials with the company's key (without it, storing one is refused). */
  keyring?: SecretSealer | undefined;
  /** The Japanese dictionary, shared with the PII scanner and the preparation threads; loaded on first call. */
  dictionary?: (() => Promise<IpadicDictionary>) | undefined;
  /** The model gateway for embeddings (absent: search is lexical only, 'no embedding provider'). */
  embeddings?: EmbeddingSource | undefined;
}

/**
 * Wires the knowledge pillar (sources, documents, ingestion, search) over one database.
 * The Japanese dictionary costs about 0.5 s and 100 MB to load, so it loads on first use: an
 * operator command that only creates a company never pays for it.
 */
export function createKnowledge(db: Database, options: KnowledgeOptions = {}) {
  let analyzer: Promise<KuraAnalyzer> | undefined;
  // The lexical index learns of each company before its first chunk is written (its BM25 index).
  const lexical = new LexicalSearch(db, {
    engine: options.searchEngine,
    logger: options.logger,
    spillPostings: options.searchSpillPostings,
  });
  const vectors = options.embeddings && createVectorSearch(db, options.embeddings, options.logger);
  const repos = {
    sources: new SourceRepository(db, options.keyring),
    // After a document's chunks commit, the embedding job is asked for (when the company has a model).
    documents: new DocumentRepository(
      db,
      vectors ? { ...lexical.hooks, afterWrite: (t) => vectors.indexer.request(t) } : lexical.hooks,
    ),
  };
  let ownDictionary: Promise<IpadicDictionary> | undefined;
  const dictionary = options.dictionary ?? (() => (ownDictionary ??= loadDefaultDictionary()));
  const loadAnalyzer = () =>
    (analyzer ??= loadKuromojiTokenizer(dictionary()).then((tokenizer) => createAnalyzer({ tokenizer })));
  let search: Promise<SearchService> | undefined;
  return {
    repos,
    dictionary,
    analyzer: loadAnalyzer,
    ingest: async () => new IngestService(repos.documents, inlinePreparer(await loadAnalyzer())),
    /** The lexical BM25 index (pg_textsearch or portable); `lexical.index()` sets it up and logs which. */
    lexical,
    /** Per-company synonym dictionaries, applied by search at query time. */
    synonyms: new SynonymService(new SynonymRepository(db)),
    /** Vectors and the embedding job (absent without a model gateway). */
    vectors,
    search: () =>
      (search ??= loadAnalyzer().then(
        (a) => new SearchService(db, lexical, a, new SynonymExpander(), vectors?.retrieval),
      )),
  };
}

export type Knowledge = ReturnType<typeof createKnowledge>;
