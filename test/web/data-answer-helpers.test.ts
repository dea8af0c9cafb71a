import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataColumn } from '../../web/src/api/types.js';
import { answerClarification, inLanguage } from '../../web/src/data/clarify.js';
import { formatCell } from '../../web/src/data/format-value.js';
import { resultCsv } from '../../web/src/data/result-csv.js';

/** RFC 4180 as a spreadsheet reads it: quoted fields, "" for a quote, CRLF between records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) field += c;
    else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  return records;
}

const column = (name: string, role: DataColumn['role'] = 'dimension', format = 'category'): DataColumn => ({
  name,
  label: name,
  role,
  format,
});

describe('the Data page: CSV, cells and clarifications', () => {
  it('writes any result as CSV that reads back to the same cells (BOM, header of labels)', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 20 }), (table) => {
        const columns = [column('a'), column('b,"x"'), column('c\r\nd', 'measure', 'yen')];
        const rows = table.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i]])));
        const csv = resultCsv(columns, rows);
        expect(csv.startsWith('\uFEFF')).toBe(true);
        const parsed = parseCsv(csv.slice(1));
        expect(parsed[0]).toEqual(columns.map((c) => c.label));
        expect(parsed.slice(1)).toEqual(
          table.map((r) =>
            r.map((v) => {
              if (v === null) return '';
              const text = String(v);
              return typeof v === 'string' && /^[=+\-@\t\r]/u.test(text) ? `'${text}` : text;
            }),
          ),
        );
      }),
    );
  });

  it('keeps formulas from running when the CSV is opened in a spreadsheet, numbers stay numbers', () => {
    const csv = resultCsv([column('name'), column('v', 'measure', 'number')], [{ name: '=1+1', v: -5 }]);
    expect(csv).toBe("\uFEFFname,v\r\n'=1+1,-5\r\n");
  });

  it('formats cells by the column format and the reader language', () => {
    expect(formatCell(48377200, column('s', 'measure', 'yen'), 'ja-JP')).toBe('¥48,377,200');
    expect(formatCell(3.0986, column('y', 'metric', 'percent'), 'en-US')).toBe('309.9%');
    expect(formatCell(null, column('y', 'metric', 'percent'), 'ja-JP')).toBe('—');
    expect(formatCell('2024', column('fy'), 'ja-JP')).toBe('2024');
  });

  it('answers a clarification by asking again with the chosen words', () => {
    const ask = (reason: string, question = '?') => ({ reason, question });
    expect(answerClarification('地域別に見せて', ask('no_metric'), { label: '売上', value: 'sales' })).toBe(
      '地域別に見せて sales',
    );
    expect(
      answerClarification('地域別の前年比', ask('period_required'), {
        label: '昨年度 / last',
        value: '昨年度',
      }),
    ).toBe('地域別の前年比 昨年度');
    expect(
      answerClarification('利益の推移', ask('ambiguous_term', '「利益」はどれのことですか? / Which one…'), {
        label: '粗利',
        value: 'gross_profit',
      }),
    ).toBe('gross_profit の推移');
    expect(inLanguage('どの数字? / Which figure?', 'en')).toBe('Which figure?');
    expect(inLanguage('どの数字? / Which figure?', 'ja')).toBe('どの数字?');
    expect(inLanguage('売上', 'en')).toBe('売上');
  });
});
