import { buildAnalyzer, DEFAULT_PIPELINE, type Analyzer } from './analyzer.js';
import { loadKuromojiTokenizer } from './kuromoji-tokenizer.js';
import type { MorphTokenizer } from './morph.js';
import { compileSynonyms, type SynonymGroups } from './synonyms.js';

export interface CreateAnalyzerOptions {
  /** Pre-loaded tokenizer (share one across analysers / tests). Default: kuromoji IPADIC. */
  readonly tokenizer?: MorphTokenizer;
  /** Per-company synonym groups; each group collapses to one canonical token. */
  readonly synonyms?: SynonymGroups;
}

export interface KuraAnalyzer extends Analyzer {
  /** Same dictionary, different synonym map (e.g. per company). Cheap. */
  withSynonyms(groups: SynonymGroups): KuraAnalyzer;
}

function make(tokenizer: MorphTokenizer, groups: SynonymGroups): KuraAnalyzer {
  const analyzer = buildAnalyzer({
    ...DEFAULT_PIPELINE,
    morph: tokenizer,
    synonyms: compileSynonyms(groups),
  });
  return {
    analyze: (text: string) => analyzer.analyze(text),
    withSynonyms: (next: SynonymGroups) => make(tokenizer, next),
  };
}

/** Loads the dictionary once; the returned `analyze` is synchronous. */
export async function createAnalyzer(options: CreateAnalyzerOptions = {}): Promise<KuraAnalyzer> {
  const tokenizer = options.tokenizer ?? (await loadKuromojiTokenizer());
  return make(tokenizer, options.synonyms ?? []);
}
