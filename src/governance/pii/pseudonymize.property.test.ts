import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKuromojiTokenizer } from '../../search/analysis/kuromoji-tokenizer.js';
import { myNumberCheckDigit } from './check-digits.js';
import { PiiGuard } from './pii-guard.js';
import { PiiScanner } from './pii-scanner.js';
import { PII_TYPES } from './pii-types.js';
import { placeholderText } from './placeholders.js';
import { PseudonymMap } from './pseudonym-map.js';

let guard: PiiGuard;
beforeAll(async () => {
  guard = new PiiGuard(new PiiScanner({ tokenizer: await loadKuromojiTokenizer() }));
});

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const value = fc.oneof(
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `090-${a}-${b}`),
  digits(11).map((b) => b + String(myNumberCheckDigit(b))),
  fc.constantFrom('山田太郎様', '佐藤花子さん', '鈴木氏', 'Mr. John Smith'),
  fc.stringMatching(/^[a-z]{1,8}\.[a-z]{1,8}@example\.co\.jp$/),
  fc.tuple(digits(3), digits(4)).map(([a, b]) => `〒${a}-${b}`),
);
const prose = fc
  .array(
    fc.constantFrom(
      'です。',
      'の件、',
      'へ連絡',
      '、',
      '明日',
      '確認します',
      '\n',
      ' ',
      'Please call ',
      'の資料',
    ),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((a) => a.join(''));
const text = fc.array(fc.tuple(prose, value), { minLength: 1, maxLength: 5 }).map((parts) => ({
  text: parts.map(([p, v]) => `${p}${v}、`).join('') + '以上。',
  values: parts.map(([, v]) => v.replace(/^〒|様$|さん$|氏$|^Mr\. /g, '')),
}));

describe('pseudonymisation (fast-check)', () => {
  it('restore(pseudonymize(text)) is the text, and the pseudonymised text holds none of the values', () => {
    fc.assert(
      fc.property(text, ({ text: original, values }) => {
        const map = new PseudonymMap();
        const { text: sent } = guard.protect('pseudonymize', original, map);
        for (const v of values) expect(sent).not.toContain(v);
        expect(map.restore(sent)).toBe(original);
      }),
      { numRuns: 200 },
    );
  });

  it('is the identity on arbitrary text too (whatever it finds, it puts back)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (original) => {
        const map = new PseudonymMap();
        expect(map.restore(guard.protect('pseudonymize', original, map).text)).toBe(original);
      }),
      { numRuns: 200 },
    );
  });

  it('never puts a value inside a placeholder, and survives a JSON round trip with the same placeholders', () => {
    fc.assert(
      fc.property(text, ({ text: original }) => {
        const map = new PseudonymMap();
        const first = guard.protect('pseudonymize', original, map).text;
        for (const e of map.toJSON().entries) expect(placeholderText(e.type, e.n)).not.toContain(e.value);
        const again = PseudonymMap.fromJSON(JSON.parse(JSON.stringify(map.toJSON())));
        expect(guard.protect('pseudonymize', original, again).text).toBe(first);
        expect(again.size).toBe(map.size);
      }),
      { numRuns: 100 },
    );
  });

  it('restores placeholders echoed with other brackets, widths, spacing or English labels', () => {
    const map = new PseudonymMap();
    for (const type of PII_TYPES) map.placeholderFor(type, `value-of-${type}`);
    const bracket = fc.constantFrom(
      ['〔', '〕'],
      ['[', ']'],
      ['［', '］'],
      ['【', '】'],
      ['「', '」'],
      ['(', ')'],
      ['〈', '〉'],
    );
    const label = fc.constantFrom(
      ['氏名', 'person_name'],
      ['Name', 'person_name'],
      ['電話', 'phone'],
      ['Phone', 'phone'],
      ['メール', 'email'],
      ['EMAIL', 'email'],
      ['マイナンバー', 'my_number'],
      ['法人番号', 'corporate_number'],
      ['カード', 'credit_card'],
      ['口座', 'bank_account'],
      ['住所', 'address'],
      ['郵便番号', 'postal_code'],
    );
    fc.assert(
      fc.property(
        bracket,
        label,
        fc.boolean(),
        fc.constantFrom('', ' '),
        ([open, close], [name, type], wide, gap) => {
          const one = wide ? '１' : '1';
          expect(map.restore(`答え：${open}${gap}${name}${gap}${one}${close}です`)).toBe(
            `答え：value-of-${type}です`,
          );
        },
      ),
    );
  });
});
