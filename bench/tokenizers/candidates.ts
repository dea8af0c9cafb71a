import { DEFAULT_PIPELINE, type PipelineConfig } from '../../src/search/analysis/analyzer.js';
import { JAPANESE_STOPWORDS } from '../../src/search/analysis/japanese-stopwords.js';
import type { Backend } from './backends.js';

export interface Candidate {
  readonly name: string;
  readonly backend: Backend;
  readonly config: Omit<PipelineConfig, 'morph'>;
}

const base = DEFAULT_PIPELINE;
const ngramOnly = { ...base, ngrams: 'none' as const };
const surfaceAll = { ...ngramOnly, posPolicy: 'keep-all' as const, baseForms: false };
const content = { ...ngramOnly, posPolicy: 'content' as const, baseForms: true };
const strict = { ...ngramOnly, posPolicy: 'content-strict' as const, baseForms: true };

export const CANDIDATES: readonly Candidate[] = [
  { name: 'bigram', backend: 'none', config: { ...base, ngrams: 'bigram' } },
  { name: 'unigram+bigram', backend: 'none', config: { ...base, ngrams: 'unigram+bigram' } },
  {
    name: 'bigram (no hiragana-only)',
    backend: 'none',
    config: { ...base, ngrams: 'bigram', skipHiraganaBigrams: true },
  },
  { name: 'segmenter', backend: 'segmenter', config: surfaceAll },
  { name: 'segmenter + bigram', backend: 'segmenter', config: { ...surfaceAll, ngrams: 'bigram' } },
  { name: 'kuromoji surface', backend: 'kuromoji', config: surfaceAll },
  { name: 'kuromoji surface, base form', backend: 'kuromoji', config: { ...surfaceAll, baseForms: true } },
  { name: 'kuromoji POS-filter', backend: 'kuromoji', config: content },
  { name: 'kuromoji POS-filter strict', backend: 'kuromoji', config: strict },
  { name: 'kuromoji surface + bigram', backend: 'kuromoji', config: { ...surfaceAll, ngrams: 'bigram' } },
  { name: 'kuromoji POS-filter + bigram', backend: 'kuromoji', config: { ...content, ngrams: 'bigram' } },
  {
    name: 'kuromoji POS-filter strict + bigram',
    backend: 'kuromoji',
    config: { ...strict, ngrams: 'bigram' },
  },
  {
    name: 'kuromoji POS-filter + bigram (no hira)',
    backend: 'kuromoji',
    config: { ...content, ngrams: 'bigram', skipHiraganaBigrams: true },
  },
  {
    name: 'kuromoji POS-filter strict + bigram (no hira)',
    backend: 'kuromoji',
    config: { ...strict, ngrams: 'bigram', skipHiraganaBigrams: true },
  },
  {
    name: 'kuromoji POS-filter + uni+bigram',
    backend: 'kuromoji',
    config: { ...content, ngrams: 'unigram+bigram' },
  },
  { name: 'lindera surface', backend: 'lindera', config: surfaceAll },
  { name: 'lindera POS-filter', backend: 'lindera', config: content },
  { name: 'lindera POS-filter + bigram', backend: 'lindera', config: { ...content, ngrams: 'bigram' } },
  { name: 'lindera-decompose POS-filter', backend: 'lindera-decompose', config: content },
  { name: 'kx POS-filter + katakana-stem', backend: 'kuromoji', config: { ...content, katakanaStem: true } },
  {
    name: 'kx POS-filter + ja-stopwords',
    backend: 'kuromoji',
    config: { ...content, stopWords: JAPANESE_STOPWORDS },
  },
  {
    name: 'kx POS-filter + unknown-word bigrams',
    backend: 'kuromoji',
    config: { ...content, compoundBigrams: 'unknown' },
  },
  {
    name: 'kx POS-filter + long-noun bigrams',
    backend: 'kuromoji',
    config: { ...content, compoundBigrams: 'long-nouns' },
  },
  {
    name: 'kx POS-filter + stem + stop',
    backend: 'kuromoji',
    config: { ...content, katakanaStem: true, stopWords: JAPANESE_STOPWORDS },
  },
  {
    name: 'kx POS-filter + stem + stop + unknown bigrams',
    backend: 'kuromoji',
    config: { ...content, katakanaStem: true, stopWords: JAPANESE_STOPWORDS, compoundBigrams: 'unknown' },
  },
  {
    name: 'kx POS-filter + stem + stop + long-noun bigrams',
    backend: 'kuromoji',
    config: { ...content, katakanaStem: true, stopWords: JAPANESE_STOPWORDS, compoundBigrams: 'long-nouns' },
  },
];
