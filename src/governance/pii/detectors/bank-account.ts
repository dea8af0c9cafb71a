import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

/**
 * Bank account numbers by their labels: 口座番号, 普通 / 当座 (預金), "account number", followed by the
 * 7-digit number Japanese banks use (8 at some). ゆうちょ accounts: 記号 (5 digits) + 番号 (≤ 8 digits).
 */
const LABELLED =
  /(?:口座番号|口座|普通預金|当座預金|貯蓄預金|普通|当座|account\s*(?:number|no\.?|#)|acct\.?\s*(?:no\.?|#)?|a\/c\s*(?:no\.?)?)[)）\]】]?[ ]?[:#.]?[ ]?(?:番号[ ]?:?[ ]?)?(\d{7,8}|\d{4}-\d{3,4})(?!\d|-\d)/gi;
const YUCHO = /記号[ ]?:?[ ]?(\d{5})[ ]?[、,]?[ ]?番号[ ]?:?[ ]?\d{6,8}(?!\d)/g;

export function detectBankAccounts(text: ScanText): PiiMatch[] {
  const out: PiiMatch[] = [];
  const f = text.folded;
  LABELLED.lastIndex = 0;
  for (let m = LABELLED.exec(f); m !== null; m = LABELLED.exec(f)) {
    const end = m.index + m[0].length;
    out.push(matchAt(text, 'bank_account', end - m[1]!.length, end, 0.9));
  }
  YUCHO.lastIndex = 0;
  for (let m = YUCHO.exec(f); m !== null; m = YUCHO.exec(f)) {
    const end = m.index + m[0].length;
    out.push(matchAt(text, 'bank_account', m.index + m[0].indexOf(m[1]!), end, 0.9));
  }
  return out;
}
