import {
  timeDimensionOf,
  type Derivation,
  type SemanticModel,
  type TimeGrain,
} from '../model/semantic-model.js';
import type { SemanticQuery } from '../query/semantic-query.js';
import { Lexicon, type Target } from './lexicon.js';
import { blank, normalizeText } from './normalize.js';
import { extractGrain, extractTimeRange, speaksFiscal } from './time-phrases.js';

export interface Clarification {
  kind: 'clarification';
  reason: 'nothing_understood' | 'no_metric' | 'ambiguous_term' | 'period_required' | 'metric_not_in_model';
  question: string;
  choices: { label: string; value: string }[];
}
export interface ParsedQuery {
  kind: 'query';
  query: SemanticQuery;
  /** What was recognised, for the narrative and for debugging the parser. */
  understood: string[];
}
export type ParseOutcome = ParsedQuery | Clarification;

const DERIVATIONS: [RegExp, Derivation][] = [
  [
    /(?:前年同期|前年度|前年|昨年度|昨年|前期)\s?(?:と|に)?\s?(?:比べ(?:て|ると)?|比較(?:して)?|対比)|前年同期比|前年度比|前期比|前年比|昨対比?|対前年比?|前年対比|year[- ]over[- ]year|year[- ]on[- ]year|yoy|vs\.? last year|compared (?:to|with) (?:the )?(?:last|previous) year/u,
    'yoy',
  ],
  [/構成比|シェア|占める割合|割合|share of total|share|percentage of total|proportion/u, 'share'],
  [/累計|累積|cumulative|running total/u, 'cumulative'],
];
const TOP =
  /(?:上位|トップ|top|best|ベスト)\s?(\d{1,4})|(\d{1,4})\s?(?:位まで|傑)|\b(?:which|what|the)\s(\d{1,3})\b(?=.*\b(?:most|highest|largest|biggest|best)\b)/u;
const BOTTOM =
  /(?:下位|ワースト|bottom|worst)\s?(\d{1,4})|\b(?:which|what|the)\s(\d{1,3})\b(?=.*\b(?:least|lowest|smallest|fewest|worst)\b)/u;

function take(text: string, re: RegExp): { match?: RegExpMatchArray; text: string } {
  const m = text.match(re);
  if (!m || m.index === undefined) return { text };
  return { match: m, text: blank(text, m.index, m[0].length) };
}

/**
 * The offline, deterministic parser: Japanese and English business phrasing → a semantic query in
 * the model's names, or a question back when the words do not single out one reading.
 */
export function parseQuestion(question: string, model: SemanticModel, now: Date): ParseOutcome {
  let text = normalizeText(question);
  const fiscal = speaksFiscal(text);
  const understood: string[] = [];
  const derivations: Derivation[] = [];
  for (const [re, derivation] of DERIVATIONS) {
    const r = take(text, re);
    text = r.text;
    if (r.match) derivations.push(derivation);
  }
  const top = take(text, TOP);
  text = top.text;
  const bottom = take(text, BOTTOM);
  text = bottom.text;
  const time = extractTimeRange(text, now, model.fiscalYearStartMonth);
  text = time.text;
  const grain = extractGrain(text, fiscal);
  text = grain.text;

  const matches = new Lexicon(model).scan(text);
  const ambiguous = matches.find(
    (m) => new Set(m.targets.map((t) => t.kind)).size === 1 && m.targets.length > 1,
  );
  if (ambiguous)
    return {
      kind: 'clarification',
      reason: 'ambiguous_term',
      question: `「${ambiguous.term}」はどれのことですか? / Which one do you mean by "${ambiguous.term}"?`,
      choices: ambiguous.targets.map((t) => ({
        label: t.label,
        value: t.kind === 'value' ? `${t.dimension}=${t.value}` : t.name,
      })),
    };
  const targets: Target[] = matches
    .filter((_, i) => !qualifiesValue(text, matches, i))
    .map((m) => m.targets[0]!);
  const measures = unique(targets.filter((t) => t.kind === 'measure').map((t) => t.name));
  const metrics = unique(targets.filter((t) => t.kind === 'metric').map((t) => t.name));
  const dimensionNames = unique(targets.filter((t) => t.kind === 'dimension').map((t) => t.name));
  const values = targets.filter((t): t is Extract<Target, { kind: 'value' }> => t.kind === 'value');
  for (const m of metrics) {
    const metric = model.metrics.find((x) => x.name === m)!;
    if (!measures.includes(metric.measure)) measures.push(metric.measure);
  }

  const choicesOfMeasures = () => model.measures.map((m) => ({ label: m.label, value: m.name }));
  if (measures.length === 0) {
    const nothing = dimensionNames.length === 0 && values.length === 0 && !time.range && !grain.grain;
    return {
      kind: 'clarification',
      reason: nothing ? 'nothing_understood' : 'no_metric',
      question: nothing
        ? '質問の中にデータの項目が見つかりませんでした。どの数字を知りたいですか? / Which figure would you like to see?'
        : 'どの数字を集計しますか? / Which figure should be totalled?',
      choices: choicesOfMeasures(),
    };
  }

  const metricNames = [
    ...measures.filter((m) => !model.metrics.some((x) => metrics.includes(x.name) && x.measure === m)),
    ...metrics,
  ];
  for (const derivation of derivations) {
    for (const measure of measures) {
      const metric = model.metrics.find((x) => x.measure === measure && x.derivation === derivation);
      if (!metric)
        return {
          kind: 'clarification',
          reason: 'metric_not_in_model',
          question: `モデルに「${measure}」の${derivation}がありません。代わりにどれを表示しますか? / The model has no ${derivation} of ${measure}.`,
          choices: model.metrics.map((m) => ({ label: m.label, value: m.name })),
        };
      if (!metricNames.includes(metric.name)) metricNames.push(metric.name);
    }
  }
  // A base measure shown next to its derived metric is implied by it: keep only the metric names.
  const finalMetrics = metricNames.filter(
    (n) => !model.metrics.some((x) => metricNames.includes(x.name) && x.measure === n),
  );

  const timeDimension = timeDimensionOf(model);
  const dimensions: { name: string; grain?: TimeGrain }[] = [];
  const filters: SemanticQuery['filters'] = [];
  const valuesByDimension = new Map<string, string[]>();
  for (const v of values)
    valuesByDimension.set(v.dimension, unique([...(valuesByDimension.get(v.dimension) ?? []), v.value]));
  for (const [dimension, list] of valuesByDimension) {
    filters.push({ dimension, op: list.length > 1 ? 'in' : 'eq', values: list });
    understood.push(`${dimension} = ${list.join(', ')}`);
  }
  if (grain.grain && timeDimension) {
    dimensions.push({ name: timeDimension.name, grain: grain.grain });
    understood.push(`by ${grain.grain}`);
  }
  // 「九州と関西の売上」: several values of one dimension are compared side by side.
  for (const [dimension, list] of valuesByDimension)
    if (list.length > 1 && !dimensionNames.includes(dimension)) dimensionNames.push(dimension);
  for (const name of dimensionNames) {
    const d = model.dimensions.find((x) => x.name === name)!;
    if (dimensions.some((x) => x.name === name)) continue;
    // 「関東地域の売上」: the dimension names the filter's context, not a grouping.
    if (valuesByDimension.has(name) && valuesByDimension.get(name)!.length === 1) continue;
    dimensions.push(d.type === 'time' ? { name, grain: 'day' } : { name });
    understood.push(`by ${name}`);
  }
  if (derivations.includes('yoy') && !time.range)
    return {
      kind: 'clarification',
      reason: 'period_required',
      question: 'どの期間の前年比ですか? / Year over year for which period?',
      choices: [
        { label: '今年度 / this fiscal year', value: '今年度' },
        { label: '昨年度 / last fiscal year', value: '昨年度' },
      ],
    };
  if (time.range) understood.push(time.range.label);

  const n = top.match
    ? Number(top.match[1] ?? top.match[2] ?? top.match[3])
    : bottom.match
      ? Number(bottom.match[1] ?? bottom.match[2])
      : undefined;
  const rank = finalMetrics.find((m) => model.measures.some((x) => x.name === m)) ?? measures[0]!;
  const query: SemanticQuery = {
    metrics: finalMetrics,
    dimensions,
    filters,
    ...(time.range ? { timeRange: { start: time.range.start, end: time.range.end } } : {}),
    order: n !== undefined ? [{ by: rank, direction: bottom.match ? 'asc' : 'desc' }] : [],
    ...(n !== undefined && n > 0 ? { limit: n } : {}),
  };
  if (n !== undefined) understood.push(`${bottom.match ? 'bottom' : 'top'} ${n}`);
  return { kind: 'query', query, understood };
}

const unique = <T>(list: T[]) => [...new Set(list)];

type Match = ReturnType<Lexicon['scan']>[number];
const GROUPING_AFTER = /^\s*(?:別|ごと|毎|単位|by\b|per\b|each\b)/u;

/**
 * 「製造業の顧客の月別注文数」「金融業界のお客様からの売上」: a dimension word right after a value of
 * another dimension names whose figures are meant (the filter's context), not a grouping — unless
 * a grouping word follows it (「関東の顧客別売上」).
 */
function qualifiesValue(text: string, matches: Match[], i: number): boolean {
  const m = matches[i]!;
  const target = m.targets[0]!;
  if (target.kind !== 'dimension' || GROUPING_AFTER.test(text.slice(m.at + m.term.length))) return false;
  let prev = matches[i - 1];
  // 「金融業界の」: the value's own dimension word (業界 = industry) may stand between.
  const before = matches[i - 2]?.targets[0];
  if (
    prev?.targets[0]?.kind === 'dimension' &&
    before?.kind === 'value' &&
    before.dimension === prev.targets[0].name
  )
    prev = matches[i - 2];
  const value = prev?.targets[0];
  if (!prev || value?.kind !== 'value' || value.dimension === target.name) return false;
  const end = matches[i - 1]!.at + matches[i - 1]!.term.length;
  return /^\s*(?:業界|業)?\s*の?\s*$/u.test(text.slice(end, m.at));
}
