import { isValidCorporateNumber } from '../check-digits.js';
import { labelVerdict } from '../context-words.js';
import { groupedAs, type NumericCandidate } from '../numeric-candidates.js';
import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

const LABEL = /法人番号|corporate\s*number|登録番号|適格請求書|registration\s*number/g;

/**
 * 法人番号: 13 digits (or 1-4-4-4) whose FIRST digit is the check digit. "T" + 法人番号 is the
 * qualified-invoice registration number (インボイス登録番号), which carries the same number.
 */
export function detectCorporateNumbers(text: ScanText, candidates: readonly NumericCandidate[]): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (const c of candidates) {
    if (c.digits.length !== 13 || !groupedAs(c.groups, [1, 4, 4, 4])) continue;
    if (c.letterBefore !== '' && c.letterBefore !== 'T') continue;
    if (!isValidCorporateNumber(c.digits)) continue;
    const verdict = c.letterBefore === 'T' ? 'positive' : labelVerdict(text.folded, c.start, LABEL);
    if (verdict === 'negative') continue;
    // The T belongs to the registration number: replace it too.
    const start = c.letterBefore === 'T' ? c.start - 1 : c.start;
    out.push(matchAt(text, 'corporate_number', start, c.end, verdict === 'positive' ? 0.97 : 0.75));
  }
  return out;
}
