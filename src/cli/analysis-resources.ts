import type { KuraConfig } from '../platform/config/config.js';
import type { IpadicDictionary } from '../search/analysis/ipadic-dictionary.js';
import { loadDefaultDictionary, loadKuromojiTokenizer } from '../search/analysis/kuromoji-tokenizer.js';
import type { MorphTokenizer } from '../search/analysis/morph.js';
import { configuredPreparationPool, type PreparationPool } from '../ingest/workers/preparation-pool.js';

/**
 * What a process holds once for Japanese text, whatever its database: the dictionary (loaded by
 * whichever needs it first: search, the preparation threads or the PII scanner), its tokenizer,
 * and the preparation threads. They need no database, so they are made before it opens: a
 * command about to ingest starts the threads (and with them the dictionary's load) while the
 * database opens on the main thread, instead of after it.
 */
export interface AnalysisResources {
  dictionary(): Promise<IpadicDictionary>;
  tokenizer(): Promise<MorphTokenizer>;
  /** The preparation threads, when KURA_WORKER_CONCURRENCY gives any; none started until asked. */
  preparation: PreparationPool | undefined;
}

export function createAnalysisResources(
  config: Pick<KuraConfig, 'ingest' | 'workerConcurrency'>,
): AnalysisResources {
  let dictionary: Promise<IpadicDictionary> | undefined;
  let tokenizer: Promise<MorphTokenizer> | undefined;
  const loadDictionary = () => (dictionary ??= loadDefaultDictionary());
  return {
    dictionary: loadDictionary,
    tokenizer: () => (tokenizer ??= loadKuromojiTokenizer(loadDictionary())),
    preparation: configuredPreparationPool(config, loadDictionary),
  };
}
