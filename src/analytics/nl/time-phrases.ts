import type { TimeGrain } from '../model/semantic-model.js';
import { blank } from './normalize.js';

export interface DateRange {
  start: string;
  end: string;
  label: string;
}

const iso = (y: number, m: number, d = 1) => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.toISOString().slice(0, 10);
};
const addDays = (isoDate: string, days: number) => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

interface TimePattern {
  re: RegExp;
  range: (m: RegExpMatchArray, today: Date, fyStart: number) => DateRange;
}

/** The fiscal year a date falls in (年度 2024 = 2024-04-01 … 2025-03-31 with an April start). */
export const fiscalYearOf = (today: Date, fyStart: number) =>
  today.getUTCMonth() + 1 >= fyStart ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
const fiscal = (y: number, s: number): DateRange => ({
  start: iso(y, s),
  end: iso(y + 1, s),
  label: `${y}年度`,
});
const month = (y: number, m: number): DateRange => ({
  start: iso(y, m),
  end: iso(y, m + 1),
  label: `${y}年${m}月`,
});
const year = (y: number): DateRange => ({ start: iso(y, 1), end: iso(y + 1, 1), label: `${y}年` });
const quarter = (y: number, q: number): DateRange => ({
  start: iso(y, (q - 1) * 3 + 1),
  end: iso(y, q * 3 + 1),
  label: `${y}年Q${q}`,
});
/** 2024年度第1四半期 = April–June 2024 with an April start. */
const fiscalQuarter = (y: number, q: number, s: number): DateRange => ({
  start: iso(y, s + (q - 1) * 3),
  end: iso(y, s + q * 3),
  label: `${y}年度第${q}四半期`,
});
/** 上半期 = the fiscal year's first six months, 下半期 the last six. */
const fiscalHalf = (y: number, h: number, s: number): DateRange => ({
  start: iso(y, s + (h - 1) * 6),
  end: iso(y, s + h * 6),
  label: `${y}年度${h === 1 ? '上' : '下'}半期`,
});
const half = (word: string) => (/下|second|2nd|h2/u.test(word) ? 2 : 1);
const ORDINAL: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const thisQuarter = (t: Date) => Math.floor(t.getUTCMonth() / 3) + 1;
const mondayOf = (t: Date) => addDays(t.toISOString().slice(0, 10), -((t.getUTCDay() + 6) % 7));
const today = (t: Date) => t.toISOString().slice(0, 10);

/** Ordered: longer, more specific phrases first (2024年度 before 2024年, 前年度 before 前年). */
const PATTERNS: TimePattern[] = [
  {
    re: /(\d{4})\s?年度\s?(?:の\s?)?(上半期|下半期|上期|下期)|(first|second|1st|2nd) half of (?:fy|fiscal(?: year)?)\s?(\d{4})|(h1|h2)\s?(?:fy|fiscal(?: year)?)\s?(\d{4})/u,
    range: (m, _t, s) => fiscalHalf(Number(m[1] ?? m[4] ?? m[6]), half(m[2] ?? m[3] ?? m[5]!), s),
  },
  {
    re: /(?:今年度|当年度|本年度|今期|当期)\s?(?:の\s?)?(上半期|下半期|上期|下期)/u,
    range: (m, t, s) => fiscalHalf(fiscalYearOf(t, s), half(m[1]!), s),
  },
  {
    re: /(first|second|third|fourth|1st|2nd|3rd|4th) quarter of (?:fy|fiscal(?: year)?)\s?(\d{4})/u,
    range: (m, _t, s) => fiscalQuarter(Number(m[2]), ORDINAL[m[1]!]!, s),
  },
  {
    re: /(first|second|third|fourth|1st|2nd|3rd|4th) quarter of (\d{4})/u,
    range: (m) => quarter(Number(m[2]), ORDINAL[m[1]!]!),
  },
  {
    re: /\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s(\d{4})\b/u,
    range: (m) => month(Number(m[2]), MONTHS.indexOf(m[1]!.slice(0, 3)) + 1),
  },
  {
    re: /(\d{4})\s?年度\s?(?:の\s?)?(?:第\s?([1-4])\s?四半期|q([1-4]))|(?:fy|fiscal(?: year)?)\s?(\d{4})\s?q([1-4])|q([1-4])\s?(?:of\s)?(?:fy|fiscal(?: year)?)\s?(\d{4})/u,
    range: (m, _t, s) => fiscalQuarter(Number(m[1] ?? m[4] ?? m[7]), Number(m[2] ?? m[3] ?? m[5] ?? m[6]), s),
  },
  {
    re: /(?:今年度|当年度|本年度)\s?(?:の\s?)?第\s?([1-4])\s?四半期/u,
    range: (m, t, s) => fiscalQuarter(fiscalYearOf(t, s), Number(m[1]), s),
  },
  {
    re: /(?:昨年度|前年度)\s?(?:の\s?)?第\s?([1-4])\s?四半期/u,
    range: (m, t, s) => fiscalQuarter(fiscalYearOf(t, s) - 1, Number(m[1]), s),
  },
  {
    re: /(\d{4})\s?年度|fy\s?(\d{4})|fiscal(?: year)? (\d{4})/u,
    range: (m, _t, s) => fiscal(Number(m[1] ?? m[2] ?? m[3]), s),
  },
  {
    re: /今年度|当年度|本年度|今期|当期|this fiscal year|current fiscal year/u,
    range: (_m, t, s) => fiscal(fiscalYearOf(t, s), s),
  },
  {
    re: /昨年度|前年度|去年度|前期|last fiscal year|previous fiscal year/u,
    range: (_m, t, s) => fiscal(fiscalYearOf(t, s) - 1, s),
  },
  { re: /(\d{4})\s?年\s?(\d{1,2})\s?月/u, range: (m) => month(Number(m[1]), Number(m[2])) },
  {
    re: /(\d{4})\s?年\s?第?\s?([1-4])\s?四半期|(\d{4})\s?q([1-4])|q([1-4])\s?(\d{4})/u,
    range: (m) => quarter(Number(m[1] ?? m[3] ?? m[6]), Number(m[2] ?? m[4] ?? m[5])),
  },
  { re: /(\d{4})\s?年(?!度)/u, range: (m) => year(Number(m[1])) },
  { re: /今月|this month/u, range: (_m, t) => month(t.getUTCFullYear(), t.getUTCMonth() + 1) },
  {
    re: /先月|前月|last month|previous month/u,
    range: (_m, t) => month(t.getUTCFullYear(), t.getUTCMonth()),
  },
  { re: /今四半期|this quarter/u, range: (_m, t) => quarter(t.getUTCFullYear(), thisQuarter(t)) },
  {
    re: /前四半期|先四半期|last quarter|previous quarter/u,
    range: (_m, t) =>
      thisQuarter(t) === 1
        ? quarter(t.getUTCFullYear() - 1, 4)
        : quarter(t.getUTCFullYear(), thisQuarter(t) - 1),
  },
  {
    re: /今週|this week/u,
    range: (_m, t) => ({ start: mondayOf(t), end: addDays(mondayOf(t), 7), label: '今週' }),
  },
  {
    re: /先週|前週|last week/u,
    range: (_m, t) => ({ start: addDays(mondayOf(t), -7), end: mondayOf(t), label: '先週' }),
  },
  {
    re: /今日|本日|today/u,
    range: (_m, t) => ({ start: today(t), end: addDays(today(t), 1), label: '今日' }),
  },
  {
    re: /昨日|yesterday/u,
    range: (_m, t) => ({ start: addDays(today(t), -1), end: today(t), label: '昨日' }),
  },
  {
    re: /年初来|year to date|ytd/u,
    range: (_m, t) => ({ start: iso(t.getUTCFullYear(), 1), end: addDays(today(t), 1), label: '年初来' }),
  },
  {
    re: /過去\s?(\d+)\s?(日|週間|か月|ヶ月|カ月|ヵ月|年)|(?:last|past) (\d+) (days?|weeks?|months?|years?)/u,
    range: (m, t) => {
      const n = Number(m[1] ?? m[3]);
      const unit = (m[2] ?? m[4])!;
      const end = addDays(today(t), 1);
      const d = new Date(`${end}T00:00:00Z`);
      if (/日|day/u.test(unit)) d.setUTCDate(d.getUTCDate() - n);
      else if (/週|week/u.test(unit)) d.setUTCDate(d.getUTCDate() - 7 * n);
      else if (/月|month/u.test(unit)) d.setUTCMonth(d.getUTCMonth() - n);
      else d.setUTCFullYear(d.getUTCFullYear() - n);
      return { start: d.toISOString().slice(0, 10), end, label: m[0] };
    },
  },
  { re: /今年|本年|this year/u, range: (_m, t) => year(t.getUTCFullYear()) },
  { re: /昨年|去年|前年(?!比|同)|last year|previous year/u, range: (_m, t) => year(t.getUTCFullYear() - 1) },
  { re: /(?:in|for|during) (\d{4})\b/u, range: (m) => year(Number(m[1])) },
];

/** Finds one period in the text; returns it and the text with the phrase blanked out. */
export function extractTimeRange(
  text: string,
  now: Date,
  fyStart: number,
): { range?: DateRange; text: string } {
  for (const p of PATTERNS) {
    const m = text.match(p.re);
    if (m && m.index !== undefined)
      return { range: p.range(m, now, fyStart), text: blank(text, m.index, m[0].length) };
  }
  return { text };
}

const GRAINS: [RegExp, TimeGrain][] = [
  [/年度別|年度ごと|年度毎|by fiscal year|per fiscal year|each fiscal year/u, 'fiscal_year'],
  [/年度四半期別|会計四半期|by fiscal quarter|per fiscal quarter|fiscal quarterly/u, 'fiscal_quarter'],
  [/四半期別|四半期ごと|四半期毎|四半期推移|quarterly|by quarter|per quarter|each quarter/u, 'quarter'],
  [/月別|月ごと|月毎|月次|毎月|月単位|月推移|monthly|by month|per month|each month|month by month/u, 'month'],
  [/週別|週ごと|週毎|週次|毎週|weekly|by week|per week|each week/u, 'week'],
  [/日別|日ごと|日毎|日次|毎日|daily|by day|per day|each day/u, 'day'],
  [/年別|年ごと|年毎|年次推移|yearly|annually|by year|per year|each year/u, 'year'],
];

/**
 * The grain asked for. Quarters of a question about fiscal years (「2024年度の四半期別」, "FY2024
 * by quarter") are fiscal quarters: 第1四半期 starts in the fiscal year's first month.
 */
export function extractGrain(text: string, fiscal = false): { grain?: TimeGrain; text: string } {
  for (const [re, grain] of GRAINS) {
    const m = text.match(re);
    if (m && m.index !== undefined)
      return {
        grain: grain === 'quarter' && fiscal ? 'fiscal_quarter' : grain,
        text: blank(text, m.index, m[0].length),
      };
  }
  return { text };
}

/** Does the question speak of fiscal years (年度, FY, fiscal)? */
export const speaksFiscal = (text: string) => /年度|fiscal|\bfy\s?\d{0,4}\b/u.test(text);
