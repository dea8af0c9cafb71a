import { PREFECTURE_PATTERN } from '../prefectures.js';
import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

/**
 * Street-level addresses: [都道府県] 市区町村 町域 + a house number (1丁目2番3号, 1-2-3, 四丁目5番地).
 * A prefecture or city alone ("東京都の支社") is not personal data and is not reported. Without a
 * prefecture the address needs a label (住所, 所在地, 〒…) just before it. The full pattern is only
 * tried where a prefecture or a label starts (sticky), so most of the text costs one cheap scan.
 */

// Municipality names may contain hiragana (さいたま市, つくば市, いわき市).
const CITY = `(?:[\\p{Script=Han}\\p{Script=Katakana}\\p{Script=Hiragana}ヶケ々ー]{1,7}?[市区町村郡]){1,2}`;
const TOWN = `[\\p{Script=Han}\\p{Script=Katakana}ー々ヶケがの]{0,12}`;
const NUM = '(?:\\d{1,5}|[〇一二三四五六七八九十]{1,3})';
const HOUSE = `(?:${NUM}(?:丁目|番地|番|号|-|の)){1,4}(?:\\d{1,5}号?)?`;
const PREFECTURE = new RegExp(PREFECTURE_PATTERN, 'g');
const LABEL = /(?:住所|所在地|所在|送付先|届け?先|現住所|本籍|居所|address|〒\d{3}-?\d{4})[ :：は]{0,2}/gi;
const ADDRESS_AT = new RegExp(`${CITY}${TOWN}${HOUSE}`, 'uy');

/** "1-2-3 Marunouchi, Chiyoda-ku, Tokyo": romanised Japanese addresses. */
const ROMAJI =
  /\b\d{1,4}(?:-\d{1,4}){1,2},? [A-Z][a-z]+(?:[ -][A-Z]?[a-z]+){0,2},? [A-Z][a-z]+-(?:ku|shi|cho|machi|gun)\b(?:, ?[A-Z][a-z]+(?:-(?:to|fu|ken))?)?/g;

function addressAt(text: ScanText, start: number, from: number, confidence: number, out: PiiMatch[]): void {
  ADDRESS_AT.lastIndex = from;
  const m = ADDRESS_AT.exec(text.folded);
  if (m === null) return;
  const value = m[0].replace(/[-の]+$/, '');
  if (!/[\d〇一二三四五六七八九十]/.test(value)) return;
  out.push(matchAt(text, 'address', start, from + value.length, confidence));
}

export function detectAddresses(text: ScanText): PiiMatch[] {
  const out: PiiMatch[] = [];
  const f = text.folded;
  PREFECTURE.lastIndex = 0;
  for (let m = PREFECTURE.exec(f); m !== null; m = PREFECTURE.exec(f)) {
    addressAt(text, m.index, m.index + m[0].length, 0.92, out);
  }
  LABEL.lastIndex = 0;
  for (let m = LABEL.exec(f); m !== null; m = LABEL.exec(f)) {
    const from = m.index + m[0].length;
    if (PREFECTURE_AT(f, from)) continue;
    addressAt(text, from, from, 0.8, out);
  }
  ROMAJI.lastIndex = 0;
  for (let m = ROMAJI.exec(f); m !== null; m = ROMAJI.exec(f)) {
    out.push(matchAt(text, 'address', m.index, m.index + m[0].length, 0.85));
  }
  return out;
}

const PREFECTURE_STICKY = new RegExp(PREFECTURE_PATTERN, 'y');
function PREFECTURE_AT(f: string, at: number): boolean {
  PREFECTURE_STICKY.lastIndex = at;
  return PREFECTURE_STICKY.test(f);
}
