import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKuromojiTokenizer } from '../../search/analysis/kuromoji-tokenizer.js';
import {
  corporateNumberCheckDigit,
  isValidCorporateNumber,
  isValidMyNumber,
  luhnCheckDigit,
  myNumberCheckDigit,
  passesLuhn,
} from './check-digits.js';
import { foldWidth } from './fold-width.js';
import { PiiScanner } from './pii-scanner.js';
import type { PiiMatch, PiiType } from './pii-types.js';
import { resolveOverlaps } from './resolve-overlaps.js';

let scanner: PiiScanner;
beforeAll(async () => {
  scanner = new PiiScanner({ tokenizer: await loadKuromojiTokenizer() });
});

const RUNS = { numRuns: 150 };

/** Japanese filler without digits, Latin letters or cue words: what surrounds a number in prose. */
const filler = fc
  .array(
    fc.constantFrom(
      ...'のをにがはでともへやかられた会議資料確認予定提出明日今週経理書類。、「」（） '.split(''),
    ),
    {
      maxLength: 12,
    },
  )
  .map((a) => a.join(''));

const digitsOf = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const toFullWidth = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Separator style for a grouped number: none, spaces, hyphens; optionally full-width. */
function styled(digits: string, groups: number[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom('', ' ', '-'), fc.boolean()).map(([sep, wide]) => {
    const parts: string[] = [];
    let at = 0;
    for (const g of groups) {
      parts.push(digits.slice(at, at + g));
      at += g;
    }
    const s = sep === '' ? digits : parts.join(sep);
    return wide ? toFullWidth(s) : s;
  });
}

const validMyNumber = digitsOf(11).map((b) => b + String(myNumberCheckDigit(b)));
const invalidMyNumber = fc
  .tuple(digitsOf(11), fc.integer({ min: 1, max: 9 }))
  .map(([b, k]) => b + String((myNumberCheckDigit(b) + k) % 10));
const validCorporate = digitsOf(12).map((b) => String(corporateNumberCheckDigit(b)) + b);
const invalidCorporate = fc
  .tuple(digitsOf(12), fc.integer({ min: 1, max: 8 }))
  .map(([b, k]) => String((corporateNumberCheckDigit(b) + k) % 10) + b);
const validCard = fc
  .tuple(fc.constantFrom('4', '51', '55', '3530', '3589', '2221'), digitsOf(18))
  .map(([prefix, rest]) => {
    const body = (prefix + rest).slice(0, 15);
    return body + String(luhnCheckDigit(body));
  });

function found(text: string, type: PiiType): PiiMatch[] {
  return scanner.scan(text).filter((m) => m.type === type);
}

describe('check digits', () => {
  it('a valid マイナンバー / 法人番号 / card stops being valid when its check digit changes', () => {
    fc.assert(
      fc.property(
        validMyNumber,
        validCorporate,
        validCard,
        fc.integer({ min: 1, max: 9 }),
        (my, corp, card, k) => {
          const bump = (d: string) => String((Number(d) + k) % 10);
          expect(isValidMyNumber(my) && !isValidMyNumber(my.slice(0, 11) + bump(my[11]!))).toBe(true);
          expect(
            isValidCorporateNumber(corp) && !isValidCorporateNumber(bump(corp[0]!) + corp.slice(1)),
          ).toBe(true);
          expect(passesLuhn(card) && !passesLuhn(card.slice(0, -1) + bump(card.slice(-1)))).toBe(true);
        },
      ),
    );
  });
});

describe('detectors (fast-check)', () => {
  it('finds every valid マイナンバー embedded in Japanese text, with the exact span', () => {
    fc.assert(
      fc.property(
        validMyNumber.chain((d) => styled(d, [4, 4, 4])),
        filler,
        filler,
        fc.constantFrom('', 'マイナンバー：', '個人番号 '),
        (number, left, right, label) => {
          const text = `${left}${label}${number}${right}`;
          const start = left.length + label.length;
          expect(found(text, 'my_number')).toEqual([
            expect.objectContaining({ start, end: start + number.length, value: number }),
          ]);
        },
      ),
      RUNS,
    );
  });

  it('does not report 12 digits whose check digit is wrong as a マイナンバー', () => {
    fc.assert(
      fc.property(
        invalidMyNumber.chain((d) => styled(d, [4, 4, 4])),
        filler,
        filler,
        (number, left, right) => {
          expect(found(`${left}マイナンバー ${number}${right}`, 'my_number')).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('finds every valid 法人番号 with its exact span and rejects a wrong check digit', () => {
    fc.assert(
      fc.property(validCorporate, invalidCorporate, filler, filler, (good, bad, left, right) => {
        const text = `${left}法人番号${good}${right}`;
        expect(found(text, 'corporate_number')).toEqual([
          expect.objectContaining({ start: left.length + 4, end: left.length + 4 + 13 }),
        ]);
        expect(found(`${left}法人番号${bad}${right}`, 'corporate_number')).toEqual([]);
      }),
      RUNS,
    );
  });

  it('finds Luhn-valid card numbers in any common notation, and every card it reports passes Luhn', () => {
    fc.assert(
      fc.property(
        validCard.chain((d) => styled(d, [4, 4, 4, 4])),
        filler,
        filler,
        (card, left, right) => {
          const text = `${left}カード番号 ${card}${right}`;
          const cards = found(text, 'credit_card');
          expect(cards).toEqual([
            expect.objectContaining({ start: left.length + 6, end: left.length + 6 + card.length }),
          ]);
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'0123456789 -'.split('')), { maxLength: 80 }), (chars) => {
        for (const m of found(`カード ${chars.join('')}`, 'credit_card')) {
          expect(passesLuhn(foldWidth(m.value).replace(/\D/g, ''))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('reports only check-digit-valid identifiers in arbitrary digit soup', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'0123456789 -、番号'.split('')), { maxLength: 120 }),
        (chars) => {
          for (const m of scanner.scan(chars.join(''))) {
            const digits = foldWidth(m.value).replace(/\D/g, '');
            if (m.type === 'my_number') expect(isValidMyNumber(digits)).toBe(true);
            if (m.type === 'corporate_number') expect(isValidCorporateNumber(digits)).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it('finds Japanese phone numbers in fixed, mobile, toll-free and +81 notation, also full-width', () => {
    const phone = fc.oneof(
      fc.tuple(digitsOf(4), digitsOf(4)).map(([a, b]) => `03-${a}-${b}`),
      fc
        .tuple(fc.constantFrom('090', '080', '070', '050'), digitsOf(4), digitsOf(4))
        .map(([p, a, b]) => `${p}-${a}-${b}`),
      fc.tuple(digitsOf(3), digitsOf(3)).map(([a, b]) => `0120-${a}-${b}`),
      fc.tuple(digitsOf(4), digitsOf(4)).map(([a, b]) => `+81 90 ${a} ${b}`),
      fc.tuple(digitsOf(4), digitsOf(4)).map(([a, b]) => `(06)${a}-${b}`),
      fc.tuple(digitsOf(3), digitsOf(4)).map(([a, b]) => `045-${a}-${b}`),
    );
    fc.assert(
      fc.property(phone, fc.boolean(), filler, filler, (number, wide, left, right) => {
        const written = wide ? toFullWidth(number).replace(/-/g, '－') : number;
        const text = `${left}電話：${written}${right}`;
        expect(found(text, 'phone')).toEqual([
          expect.objectContaining({
            start: left.length + 3,
            end: left.length + 3 + written.length,
            value: written,
          }),
        ]);
      }),
      RUNS,
    );
  });

  it('finds e-mail addresses and 〒 postal codes with their exact spans', () => {
    const local = fc.stringMatching(/^[a-z][a-z0-9._-]{0,15}[a-z0-9]$/);
    const domain = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]\.(co\.jp|com|jp|ne\.jp)$/);
    fc.assert(
      fc.property(local, domain, digitsOf(3), digitsOf(4), filler, (user, host, a, b, left) => {
        const email = `${user}@${host}`;
        const text = `${left}${email} 〒${a}-${b}`;
        const matches = scanner.scan(text);
        expect(matches.find((m) => m.type === 'email')).toMatchObject({ start: left.length, value: email });
        expect(matches.find((m) => m.type === 'postal_code')).toMatchObject({ value: `${a}-${b}` });
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary Unicode and returns sorted, non-overlapping spans of the original text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const matches = scanner.scan(text);
        let end = 0;
        for (const m of matches) {
          expect(m.start).toBeGreaterThanOrEqual(end);
          expect(m.end).toBeGreaterThan(m.start);
          expect(m.value).toBe(text.slice(m.start, m.end));
          end = m.end;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('resolves overlaps the same way whatever order the detectors report in', () => {
    const match = fc
      .record({
        type: fc.constantFrom<PiiType>('phone', 'my_number', 'person_name', 'credit_card'),
        start: fc.nat(50),
        len: fc.integer({ min: 1, max: 15 }),
        confidence: fc.constantFrom(0.7, 0.85, 0.9),
      })
      .map(({ type, start, len, confidence }) => ({ type, start, end: start + len, value: 'x', confidence }));
    fc.assert(
      fc.property(fc.array(match, { maxLength: 12 }), fc.nat(), (matches, seed) => {
        const shuffled = [...matches].sort(
          (a, b) => ((a.start * 31 + seed) % 7) - ((b.start * 31 + seed) % 7),
        );
        expect(resolveOverlaps(shuffled)).toEqual(resolveOverlaps(matches));
      }),
    );
  });

  it('keeps the length when folding widths, so offsets stay valid in the original', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(foldWidth(s).length).toBe(s.length);
      }),
    );
  });

  it('scans pathological inputs (10,000 digits, hyphens, dots, @) in bounded time', () => {
    const inputs = [
      '1'.repeat(10_000),
      '0'.repeat(10_000),
      '1-'.repeat(5_000),
      '0 '.repeat(5_000),
      '03-'.repeat(3_400),
      '+81'.repeat(3_400),
      'a.'.repeat(5_000) + '@',
      'a@' + 'b.'.repeat(5_000),
      '〒'.repeat(10_000),
      '東京都'.repeat(3_400),
      '東京都千代田区' + '1-'.repeat(5_000),
      'さん'.repeat(5_000),
      '山田様'.repeat(3_400),
      'Mr. '.repeat(2_500),
    ];
    for (const input of inputs) {
      const started = performance.now();
      scanner.scan(input);
      expect(performance.now() - started, input.slice(0, 12)).toBeLessThan(1_500);
    }
  });
});
