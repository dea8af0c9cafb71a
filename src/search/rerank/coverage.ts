import { buildAnalyzer, DEFAULT_PIPELINE } from '../analysis/analyzer.js';
import { normalizeText } from '../analysis/normalize.js';

/**
 * Second, lexical stage over the database's BM25 top candidates: how much of the query's character
 * bigrams (Japanese) and words (Latin) a chunk's text contains. BM25 over morphemes misses a
 * question whose words are split differently from the document's; character bigrams see them. On
 * the benchmark this stage lifts nDCG@10 from 0.942 to ≈ 0.949 (docs/BENCHMARKS.md, "Retrieval");
 * any weight from 0.4 to 1.0 helps on both halves of the questions, 0.5 is the middle.
 *
 *   fused(chunk) = bm25(chunk) / max bm25 among the candidates + COVERAGE_WEIGHT · coverage(chunk)
 */
export const COVERAGE_WEIGHT = 0.5;

const grams = buildAnalyzer({
  ...DEFAULT_PIPELINE,
  morph: null,
  ngrams: 'bigram',
  // Bigrams of hiragana only are mostly particles and inflections: noise for coverage.
  skipHiraganaBigrams: true,
});

/** The query's distinct bigrams and Latin words. */
export function queryGrams(query: string): string[] {
  return [...new Set(grams.analyze(query))];
}

/**
 * Share of the query's grams found in the text (0–1). A substring test on the normalised text: a
 * Japanese bigram is present exactly when its two characters are adjacent there; a Latin stem
 * matches the words it starts (revenu → revenues).
 */
export function coverage(queryGramList: readonly string[], text: string): number {
  if (queryGramList.length === 0) return 0;
  const normalized = normalizeText(text);
  let found = 0;
  for (const gram of queryGramList) if (normalized.includes(gram)) found++;
  return found / queryGramList.length;
}
