import { labelVerdict } from '../context-words.js';
import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

/** A number starting like a Japanese phone number: 0…, (0…), +81…; at most 18 characters of digits and separators. */
const CANDIDATE = /(?<![\w+\-./#])(?:\+81|\(0|0)[\d ()-]{7,18}/g;
const LABEL = /tel|phone|mobile|cell|fax|電話|携帯|連絡先|℡|内線|直通|ダイヤル|call|contact/g;

/** Number of digits a valid number has, by its prefix (after +81 → 0). */
function expectedLength(digits: string): number {
  if (/^0[5789]0/.test(digits) || digits.startsWith('0800')) return 11;
  return 10;
}

function toNational(digits: string): string {
  return digits.startsWith('81') ? '0' + digits.slice(2) : digits;
}

/** Drops trailing groups (at separators) until the digits make a valid number, or gives up. */
function trimToValid(raw: string): { length: number; digits: string } | null {
  let s = raw;
  for (;;) {
    // Drop trailing separators and any ')' that does not close an area code: "(06)1234-5678（）".
    for (;;) {
      const trimmed = s.replace(/[ (-]+$/, '');
      s = trimmed.endsWith(')') && !/\(\d+\)$/.test(trimmed) ? trimmed.slice(0, -1) : trimmed;
      if (s === trimmed) break;
    }
    const national = toNational(s.replace(/\D/g, ''));
    if (national.length <= 11 && national.length === expectedLength(national))
      return { length: s.length, digits: national };
    const cut = Math.max(s.lastIndexOf(' '), s.lastIndexOf('-'), s.lastIndexOf('('), s.lastIndexOf(')'));
    if (cut <= 0) return null;
    s = s.slice(0, cut);
  }
}

/** Separators must be single and the parentheses balanced: "03--1234" or "03((1234" is not a phone number. */
function wellFormed(s: string): boolean {
  if (/[ ()-]{3,}|--| {2}/.test(s.replace(/\) |\)-| \(|-\(/g, ')'))) return false;
  const open = (s.match(/\(/g) ?? []).length;
  return open === (s.match(/\)/g) ?? []).length && open <= 1;
}

/** Japanese fixed, mobile, IP (050), toll-free (0120, 0800) and +81 numbers. */
export function detectPhones(text: ScanText): PiiMatch[] {
  const out: PiiMatch[] = [];
  const f = text.folded;
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(f); m !== null; m = CANDIDATE.exec(f)) {
    const start = m.index;
    // A rejected candidate may hide a number that starts later ("0001 03-1234-5678").
    CANDIDATE.lastIndex = start + 1;
    const valid = trimToValid(m[0]);
    if (valid === null) continue;
    const end = start + valid.length;
    const raw = f.slice(start, end);
    const next = f[end];
    if (
      next !== undefined &&
      (/[\dA-Za-z]/.test(next) || (/[-./]/.test(next) && /\d/.test(f[end + 1] ?? '')))
    )
      continue;
    if (!wellFormed(raw)) continue;
    const { digits } = valid;
    if (digits[1] === '0') continue;
    const separated = /\D/.test(raw.replace(/^\+/, ''));
    const verdict = labelVerdict(f, start, LABEL, 16);
    if (verdict === 'negative') continue;
    const mobile = /^0[789]0/.test(digits);
    if (!separated && verdict !== 'positive' && !mobile) continue;
    CANDIDATE.lastIndex = end;
    out.push(matchAt(text, 'phone', start, end, verdict === 'positive' ? 0.95 : separated ? 0.85 : 0.7));
  }
  return out;
}
