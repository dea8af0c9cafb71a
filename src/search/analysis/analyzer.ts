import { pushCjkNgrams } from './cjk-ngrams.js';
import { stemKatakana } from './katakana-stem.js';
import { latinTerm } from './latin.js';
import { keepMorph, morphTermText, type MorphTokenizer, type PosPolicy } from './morph.js';
import { normalizeText } from './normalize.js';
import { splitRuns } from './scripts.js';
import { NO_SYNONYMS, type SynonymTable } from './synonyms.js';
import { clampToken } from './token-limit.js';

export interface Analyzer {
  /** Lower-case tokens without whitespace or punctuation; safe to space-join for PostgreSQL 'simple'. */
  analyze(text: string): string[];
}

export type NgramMode = 'none' | 'bigram' | 'unigram+bigram';

export interface PipelineConfig {
  /** Morphological tokenizer for Japanese runs; null = n-grams only. */
  readonly morph: MorphTokenizer | null;
  readonly posPolicy: PosPolicy;
  readonly baseForms: boolean;
  readonly ngrams: NgramMode;
  readonly skipHiraganaBigrams: boolean;
  /** Drop trailing ー of long katakana words. */
  readonly katakanaStem: boolean;
  /** Japanese stop words (compared with the term after base-form mapping). */
  readonly stopWords: ReadonlySet<string> | null;
  /** Also emit bigrams inside morph tokens: none, only unknown words, or any noun of 3+ characters. */
  readonly compoundBigrams: 'none' | 'unknown' | 'long-nouns';
  readonly synonyms: SynonymTable;
}

export const DEFAULT_PIPELINE: Omit<PipelineConfig, 'morph'> = {
  posPolicy: 'content',
  baseForms: true,
  ngrams: 'none',
  skipHiraganaBigrams: false,
  katakanaStem: false,
  stopWords: null,
  compoundBigrams: 'none',
  synonyms: NO_SYNONYMS,
};

/** Builds a synchronous analyser from a (pre-loaded) tokenizer and options. */
export function buildAnalyzer(config: PipelineConfig): Analyzer {
  const ngramOptions = {
    unigrams: config.ngrams === 'unigram+bigram',
    skipHiraganaOnly: config.skipHiraganaBigrams,
  };
  const { synonyms } = config;

  function analyzePlain(normalized: string, out: string[]): void {
    for (const run of splitRuns(normalized)) {
      if (run.kind === 'word') {
        const term = latinTerm(run.text);
        if (term !== null) out.push(synonyms.stems.get(term) ?? term);
        continue;
      }
      if (config.morph !== null) {
        for (const token of config.morph.tokenize(run.text)) {
          if (!keepMorph(token, config.posPolicy)) continue;
          let text = morphTermText(token, config.baseForms).trim();
          if (text === '' || /\s/u.test(text)) continue;
          if (config.stopWords !== null && config.stopWords.has(text)) continue;
          if (config.katakanaStem) text = stemKatakana(text);
          out.push(clampToken(text));
          if (
            (config.compoundBigrams === 'unknown' && !token.known) ||
            (config.compoundBigrams === 'long-nouns' && token.pos === '名詞' && token.surface.length >= 3)
          ) {
            pushCjkNgrams(token.surface, { unigrams: false, skipHiraganaOnly: false }, out);
          }
        }
      }
      if (config.ngrams !== 'none') pushCjkNgrams(run.text, ngramOptions, out);
    }
  }

  return {
    analyze(text: string): string[] {
      const out: string[] = [];
      const normalized = normalizeText(text);
      const { pattern } = synonyms;
      if (pattern === null) {
        analyzePlain(normalized, out);
        return out;
      }
      let last = 0;
      for (const m of normalized.matchAll(pattern)) {
        const start = m.index;
        analyzePlain(normalized.slice(last, start), out);
        const canonical = synonyms.phrases.get(m[0]);
        if (canonical !== undefined) out.push(clampToken(canonical));
        last = start + m[0].length;
      }
      analyzePlain(normalized.slice(last), out);
      return out;
    },
  };
}
