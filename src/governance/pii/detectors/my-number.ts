import { isValidMyNumber } from '../check-digits.js';
import { labelVerdict } from '../context-words.js';
import { groupedAs, type NumericCandidate } from '../numeric-candidates.js';
import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

const LABEL = /マイナンバー|個人番号|my\s*number|individual\s*number|番号カード/g;

/** マイナンバー: 12 digits (or 4-4-4) whose last digit is the official check digit. */
export function detectMyNumbers(text: ScanText, candidates: readonly NumericCandidate[]): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (const c of candidates) {
    if (c.digits.length !== 12 || c.letterBefore !== '' || !groupedAs(c.groups, [4, 4, 4])) continue;
    if (!isValidMyNumber(c.digits)) continue;
    const verdict = labelVerdict(text.folded, c.start, LABEL);
    if (verdict === 'negative') continue;
    out.push(matchAt(text, 'my_number', c.start, c.end, verdict === 'positive' ? 0.97 : 0.8));
  }
  return out;
}
