import { PII_TYPES, type PiiMatch, type PiiType } from './pii-types.js';

/** A labelled text for measuring a scanner. */
export interface LabelledText {
  readonly id: string;
  readonly text: string;
  readonly entities: readonly { readonly type: PiiType; readonly start: number; readonly end: number }[];
}

export interface TypeScore {
  readonly type: PiiType;
  readonly gold: number;
  readonly predicted: number;
  readonly truePositives: number;
  /** Of the true positives, how many have exactly the labelled span. */
  readonly exact: number;
  readonly precision: number;
  readonly recall: number;
}

export interface EvaluationResult {
  readonly perType: readonly TypeScore[];
  readonly overallPrecision: number;
  readonly overallRecall: number;
  readonly misses: readonly { id: string; type: PiiType; value: string }[];
  readonly falsePositives: readonly { id: string; type: PiiType; value: string }[];
}

/**
 * A prediction counts when it has the labelled type and overlaps the labelled span (each label
 * matched once); `exact` says how many also have the exact span. Precision with no predictions is 1.
 */
export function evaluateScanner(
  texts: readonly LabelledText[],
  scan: (text: string) => PiiMatch[],
): EvaluationResult {
  const tally = new Map(PII_TYPES.map((t) => [t, { gold: 0, predicted: 0, tp: 0, exact: 0 }]));
  const misses: { id: string; type: PiiType; value: string }[] = [];
  const falsePositives: { id: string; type: PiiType; value: string }[] = [];
  for (const item of texts) {
    const predicted = scan(item.text);
    const used = new Set<number>();
    for (const p of predicted) tally.get(p.type)!.predicted++;
    for (const g of item.entities) {
      const t = tally.get(g.type)!;
      t.gold++;
      const hit = predicted.findIndex(
        (p, i) => !used.has(i) && p.type === g.type && p.start < g.end && g.start < p.end,
      );
      if (hit < 0) {
        misses.push({ id: item.id, type: g.type, value: item.text.slice(g.start, g.end) });
        continue;
      }
      used.add(hit);
      t.tp++;
      if (predicted[hit]!.start === g.start && predicted[hit]!.end === g.end) t.exact++;
    }
    predicted.forEach((p, i) => {
      if (!used.has(i)) falsePositives.push({ id: item.id, type: p.type, value: p.value });
    });
  }
  const perType = [...tally].map(([type, t]) => ({
    type,
    gold: t.gold,
    predicted: t.predicted,
    truePositives: t.tp,
    exact: t.exact,
    precision: t.predicted === 0 ? 1 : t.tp / t.predicted,
    recall: t.gold === 0 ? 1 : t.tp / t.gold,
  }));
  const sum = (f: (s: TypeScore) => number) => perType.reduce((a, s) => a + f(s), 0);
  const predictedAll = sum((s) => s.predicted);
  return {
    perType,
    overallPrecision: predictedAll === 0 ? 1 : sum((s) => s.truePositives) / predictedAll,
    overallRecall:
      sum((s) => s.truePositives) /
      Math.max(
        1,
        sum((s) => s.gold),
      ),
    misses,
    falsePositives,
  };
}

/** The evaluation as a Markdown table (for the benchmark and docs/BENCHMARKS.md). */
export function formatEvaluation(result: EvaluationResult): string {
  const rows = result.perType
    .filter((s) => s.gold > 0 || s.predicted > 0)
    .map(
      (s) =>
        `| ${s.type} | ${s.gold} | ${s.predicted} | ${s.truePositives} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.exact} |`,
    );
  return [
    '| type | labelled | found | correct | precision | recall | exact span |',
    '| ---- | -------- | ----- | ------- | --------- | ------ | ---------- |',
    ...rows,
    `| **overall** | | | | **${result.overallPrecision.toFixed(3)}** | **${result.overallRecall.toFixed(3)}** | |`,
  ].join('\n');
}
