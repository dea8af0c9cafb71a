import type { TimeGrain } from '../model/semantic-model.js';

export type DialectName = 'postgres' | 'mysql' | 'sqlite';

/** What differs between the SQL of the three databases Kura queries in place. */
export interface Dialect {
  name: DialectName;
  quote(identifier: string): string;
  /** The n-th (1-based) bound parameter. */
  placeholder(n: number): string;
  /**
   * A text key for the period a date falls in: 2024-05-01, 2024-05, 2024-Q2, 2024; fiscal: 2024 for
   * the year, FY2024-Q1 for its first quarter (April–June with an April start).
   */
  grain(column: string, grain: TimeGrain, fiscalStartMonth: number): string;
  /** A division that yields a decimal and NULL instead of a division by zero. */
  divide(numerator: string, denominator: string): string;
  /** An average as a floating-point number (MySQL would round AVG of integers to 4 decimals). */
  average(expression: string): string;
}

const doubleQuote = (name: string) => `"${name.replace(/"/g, '""')}"`;

const postgres: Dialect = {
  name: 'postgres',
  quote: doubleQuote,
  placeholder: (n) => `$${n}`,
  grain(c, grain, start) {
    switch (grain) {
      case 'day':
        return `to_char(${c}, 'YYYY-MM-DD')`;
      case 'week':
        return `to_char(date_trunc('week', ${c}), 'YYYY-MM-DD')`;
      case 'month':
        return `to_char(${c}, 'YYYY-MM')`;
      case 'quarter':
        return `to_char(${c}, 'YYYY-"Q"Q')`;
      case 'year':
        return `to_char(${c}, 'YYYY')`;
      case 'fiscal_year':
        return `to_char(${c} - interval '${start - 1} months', 'YYYY')`;
      case 'fiscal_quarter':
        return `to_char(${c} - interval '${start - 1} months', '"FY"YYYY-"Q"Q')`;
    }
  },
  divide: (a, b) => `CAST(${a} AS numeric) / NULLIF(${b}, 0)`,
  average: (e) => `AVG(${e})`,
};

const mysql: Dialect = {
  name: 'mysql',
  quote: (name) => `\`${name.replace(/`/g, '``')}\``,
  placeholder: () => '?',
  grain(c, grain, start) {
    switch (grain) {
      case 'day':
        return `DATE_FORMAT(${c}, '%Y-%m-%d')`;
      case 'week':
        return `DATE_FORMAT(DATE_SUB(${c}, INTERVAL WEEKDAY(${c}) DAY), '%Y-%m-%d')`;
      case 'month':
        return `DATE_FORMAT(${c}, '%Y-%m')`;
      case 'quarter':
        return `CONCAT(YEAR(${c}), '-Q', QUARTER(${c}))`;
      case 'year':
        return `DATE_FORMAT(${c}, '%Y')`;
      case 'fiscal_year':
        return `DATE_FORMAT(DATE_SUB(${c}, INTERVAL ${start - 1} MONTH), '%Y')`;
      case 'fiscal_quarter': {
        const shifted = `DATE_SUB(${c}, INTERVAL ${start - 1} MONTH)`;
        return `CONCAT('FY', YEAR(${shifted}), '-Q', QUARTER(${shifted}))`;
      }
    }
  },
  divide: (a, b) => `CAST(${a} AS DOUBLE) / NULLIF(${b}, 0)`,
  average: (e) => `AVG(CAST(${e} AS DOUBLE))`,
};

const sqlite: Dialect = {
  name: 'sqlite',
  quote: doubleQuote,
  placeholder: () => '?',
  grain(c, grain, start) {
    switch (grain) {
      case 'day':
        return `strftime('%Y-%m-%d', ${c})`;
      case 'week':
        return `date(${c}, '-' || ((CAST(strftime('%w', ${c}) AS INTEGER) + 6) % 7) || ' days')`;
      case 'month':
        return `strftime('%Y-%m', ${c})`;
      case 'quarter':
        return `strftime('%Y', ${c}) || '-Q' || ((CAST(strftime('%m', ${c}) AS INTEGER) + 2) / 3)`;
      case 'year':
        return `strftime('%Y', ${c})`;
      case 'fiscal_year':
        // The first day of the month first, so that '-3 months' never overflows a short month.
        return `strftime('%Y', ${c}, 'start of month', '-${start - 1} months')`;
      case 'fiscal_quarter': {
        const month = `CAST(strftime('%m', ${c}, 'start of month', '-${start - 1} months') AS INTEGER)`;
        return `'FY' || strftime('%Y', ${c}, 'start of month', '-${start - 1} months') || '-Q' || ((${month} + 2) / 3)`;
      }
    }
  },
  divide: (a, b) => `CAST(${a} AS REAL) / NULLIF(${b}, 0)`,
  average: (e) => `AVG(${e})`,
};

export const DIALECTS: Record<DialectName, Dialect> = { postgres, mysql, sqlite };
