import { passesLuhn } from '../check-digits.js';
import { labelVerdict } from '../context-words.js';
import { groupedAs, type NumericCandidate } from '../numeric-candidates.js';
import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

const LABEL = /カード|card|visa|master|amex|jcb|diners|クレジット|credit|決済|pan\b/g;

/** Issuer prefixes (IIN ranges) of the brands used in Japan; a Luhn-valid number without one is not a card. */
const BRAND_PREFIX =
  /^(?:4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|35(?:2[89]|[3-8]\d)|3(?:0[0-5]|[68])|6(?:011|5|4[4-9]|2))/;

/** Credit card numbers: 13–19 digits, known issuer prefix, Luhn, written unbroken or in 4-digit groups (Amex 4-6-5). */
export function detectCreditCards(text: ScanText, candidates: readonly NumericCandidate[]): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (const c of candidates) {
    const n = c.digits.length;
    if (n < 13 || n > 19 || c.letterBefore !== '') continue;
    const fours = c.groups.slice(0, -1).every((g) => g === 4) && c.groups[c.groups.length - 1]! <= 4;
    if (!fours && !groupedAs(c.groups, [4, 6, 5], [4, 6, 4])) continue;
    if (!BRAND_PREFIX.test(c.digits) || !passesLuhn(c.digits)) continue;
    const verdict = labelVerdict(text.folded, c.start, LABEL);
    if (verdict === 'negative') continue;
    out.push(matchAt(text, 'credit_card', c.start, c.end, verdict === 'positive' ? 0.97 : 0.85));
  }
  return out;
}
