import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertCell, inferColumnType, parseDateCell } from './infer-column-type.js';
import { columnNames } from './physical-names.js';

const day = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => ({ y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() }));
const iso = (x: { y: number; m: number; d: number }) =>
  `${x.y}-${String(x.m).padStart(2, '0')}-${String(x.d).padStart(2, '0')}`;

describe('inferring uploaded columns', () => {
  it('reads a date written ISO, with slashes, in kanji or in the Reiwa/Heisei era as the same day', () => {
    fc.assert(
      fc.property(day, (x) => {
        const expected = iso(x);
        expect(parseDateCell(expected)).toBe(expected);
        expect(parseDateCell(`${x.y}/${x.m}/${x.d}`)).toBe(expected);
        expect(parseDateCell(`${x.y}年${x.m}月${x.d}日`)).toBe(expected);
        if (x.y >= 2020) expect(parseDateCell(`令和${x.y - 2018}年${x.m}月${x.d}日`)).toBe(expected);
        if (x.y >= 1990 && x.y <= 2018)
          expect(parseDateCell(`平成${x.y - 1988}年${x.m}月${x.d}日`)).toBe(expected);
      }),
    );
    expect(parseDateCell('令和元年5月1日')).toBe('2019-05-01');
    expect(parseDateCell('2024/2/30')).toBeNull();
    expect(parseDateCell('2024/13/1')).toBeNull();
  });

  it('types a column by the narrowest type all its values fit, and never loses a value', () => {
    expect(inferColumnType([1, '2', null, '3,000'])).toBe('integer');
    expect(inferColumnType([1, 2.5, ''])).toBe('decimal');
    expect(inferColumnType(['2024/4/1', '令和6年4月2日', null])).toBe('date');
    expect(inferColumnType(['007', 'abc'])).toBe('text');
    expect(inferColumnType([null, ''])).toBe('text');
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.constant(null))),
        (cells) => {
          const type = inferColumnType(cells);
          for (const cell of cells) {
            const stored = convertCell(cell, type);
            const blank = cell === null || (typeof cell === 'string' && cell.trim() === '');
            // Only blanks become NULL: every written value is kept in the inferred type.
            expect(stored === null).toBe(blank);
          }
        },
      ),
    );
  });

  it('turns any headers into unique, safe column names', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 30 }), (headers) => {
        const names = columnNames(headers);
        expect(new Set(names).size).toBe(headers.length);
        for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/u);
        expect(names).not.toContain('tenant_id');
      }),
    );
    expect(columnNames(['Order Date', 'select', 'x"; DROP TABLE t; --', '売上', 'select'])).toEqual([
      'order_date',
      'select',
      'col_3',
      'col_4',
      'select_2',
    ]);
  });
});
