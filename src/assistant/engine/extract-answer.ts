import { queryGrams } from '../../search/rerank/coverage.js';
import { normalizeText } from '../../search/analysis/normalize.js';
import type { Passage } from '../../search/search-service.js';
import { cuesOf, QUESTION_WORD } from './answer-cues.js';
import { splitSentences } from './sentences.js';

/** Longest extractive answer, markers included. */
export const MAX_ANSWER_CHARS = 200;

export interface ExtractOptions {
  /** Found only when the best sentence's weighted coverage of the question reaches this (calibrated, see docs/BENCHMARKS.md). */
  threshold: number;
  /** Weight of the passage's retrieval score in a sentence's score. */
  passageWeight: number;
  /** Bonus for a sentence that holds what the question word asks for (a year for 何年…). */
  cueWeight: number;
  maxChars: number;
  /** Fill the rest of the answer with sentences of other passages too (more hits, less precise citations). */
  otherPassages: boolean;
}

export const DEFAULT_EXTRACT: ExtractOptions = {
  // Calibrated on JSQuAD test (answerable) vs. held-out JaQuAD dev questions (unanswerable) with
  // bench/answer-sweep.ts: 0.25 keeps answer-hit above 0.90 and says "not found" to most of the
  // unanswerable ones (docs/BENCHMARKS.md, "Answers").
  threshold: 0.25,
  passageWeight: 1,
  cueWeight: 0.2,
  maxChars: MAX_ANSWER_CHARS,
  otherPassages: false,
};

/** A piece of the answer: text taken verbatim from passage `passage`. */
export interface AnswerPart {
  passage: number;
  text: string;
}

export interface Extracted {
  found: boolean;
  /** The best sentence's weighted share of the question's terms (what the threshold compares). */
  confidence: number;
  parts: AnswerPart[];
}

interface Scored {
  passage: number;
  /** Whitespace (a line break) separates it from the previous sentence in the passage. */
  gapBefore: boolean;
  index: number;
  text: string;
  normalized: string;
  coverage: number;
  score: number;
}

/**
 * The offline extractive answer: every sentence of the retrieved passages scored by how much of the
 * question it covers (terms weighted by rarity among the candidates), by its passage's retrieval
 * score and by the answer-type cue; the best sentence first, then its neighbours and the next best
 * sentences while the answer stays within `maxChars`. Nothing is generated: every part is a
 * verbatim piece of a cited passage.
 */
export function extractAnswer(
  question: string,
  passages: readonly Passage[],
  options: ExtractOptions = DEFAULT_EXTRACT,
): Extracted {
  const grams = queryGrams(question).filter((g) => !QUESTION_WORD.test(g));
  if (passages.length === 0 || grams.length === 0) return { found: false, confidence: 0, parts: [] };
  const sentences = passages.flatMap((p, passage) =>
    splitSentences(p.text).map((s, index, all) => ({
      gapBefore: index > 0 && s.start > all[index - 1]!.start + all[index - 1]!.text.length,
      passage,
      index,
      text: s.text,
      normalized: normalizeText(s.text),
    })),
  );
  const df = new Map(grams.map((g) => [g, sentences.filter((s) => s.normalized.includes(g)).length]));
  const weight = (g: string) => 1 + Math.log((sentences.length + 1) / ((df.get(g) ?? 0) + 1));
  const total = grams.reduce((sum, g) => sum + weight(g), 0);
  const cues = cuesOf(question);
  const top = Math.max(...passages.map((p) => p.score)) || 1;
  const scored: Scored[] = sentences.map((s) => {
    const coverage = grams.reduce((sum, g) => sum + (s.normalized.includes(g) ? weight(g) : 0), 0) / total;
    const cue = cues.length > 0 && cues.some((c) => c.test(s.text)) ? 1 : 0;
    const prior = (passages[s.passage]?.score ?? 0) / top;
    return { ...s, coverage, score: coverage + options.passageWeight * prior + options.cueWeight * cue };
  });
  scored.sort((a, b) => b.score - a.score || a.passage - b.passage || a.index - b.index);
  const best = scored[0]!;
  if (best.coverage < options.threshold) return { found: false, confidence: best.coverage, parts: [] };
  return { found: true, confidence: best.coverage, parts: compose(best, scored, grams, options) };
}

const MARKER_CHARS = 4; // "[n]" plus a separator

/** The best sentence (cut around its matches when too long), then neighbours and runners-up that fit. */
function compose(
  best: Scored,
  scored: readonly Scored[],
  grams: readonly string[],
  options: ExtractOptions,
): AnswerPart[] {
  let budget = options.maxChars - MARKER_CHARS;
  if (best.text.length > budget) return [{ passage: best.passage, text: window(best.text, grams, budget) }];
  const chosen: Scored[] = [best];
  budget -= best.text.length;
  const same = (s: Scored) => s.passage === best.passage;
  const neighbour = (s: Scored) => same(s) && chosen.some((c) => Math.abs(c.index - s.index) === 1);
  // Neighbours of the best sentence first (the answer is often next to the question's words), then others.
  for (const pass of [neighbour, (s: Scored) => s.coverage > 0 && (options.otherPassages || same(s))]) {
    for (const s of scored) {
      if (chosen.includes(s) || !pass(s)) continue;
      const cost = s.text.length + (same(s) ? 1 : MARKER_CHARS);
      if (cost > budget) continue;
      chosen.push(s);
      budget -= cost;
    }
  }
  // Reading order: the best sentence's passage first, sentences in document order within a passage.
  const order = [...new Set(chosen.map((s) => s.passage))];
  chosen.sort((a, b) => order.indexOf(a.passage) - order.indexOf(b.passage) || a.index - b.index);
  const parts: AnswerPart[] = [];
  let previous: Scored | undefined;
  for (const s of chosen) {
    const last = parts[parts.length - 1];
    if (last && previous && last.passage === s.passage) {
      // Adjacent sentences join as in the passage; a skipped stretch shows as "…" (one character, budgeted).
      const joint = s.index - previous.index > 1 ? '…' : needsSpace(last.text) || s.gapBefore ? ' ' : '';
      last.text += joint + s.text;
    } else parts.push({ passage: s.passage, text: s.text });
    previous = s;
  }
  return parts;
}

const needsSpace = (text: string) => /[\p{Script=Latin}\p{N}.!?,;:)]$/u.test(text);

/** The `size`-character stretch of a long sentence that holds the most question terms. */
function window(text: string, grams: readonly string[], size: number): string {
  const folded = text.normalize('NFKC').toLowerCase();
  if (folded.length !== text.length) return `${text.slice(0, size - 1)}…`;
  const hits: number[] = [];
  for (const g of grams)
    for (let at = folded.indexOf(g); at >= 0; at = folded.indexOf(g, at + 1)) hits.push(at);
  let bestStart = 0;
  let bestCount = -1;
  for (const h of hits) {
    const start = Math.max(0, Math.min(text.length - size, h - Math.floor(size * 0.3)));
    const count = hits.filter((x) => x >= start && x < start + size - 2).length;
    if (count > bestCount) [bestStart, bestCount] = [start, count];
  }
  const head = bestStart > 0 ? '…' : '';
  const end = bestStart + size - 2;
  const tail = end < text.length ? '…' : '';
  return head + text.slice(bestStart, end) + tail;
}
