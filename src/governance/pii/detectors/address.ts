import { before } from '../context-words.js';
import { PREFECTURE_PATTERN } from '../prefectures.js';
import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

/**
 * Street-level addresses: [都道府県] 市区町村 町域 + a house number (1丁目2番3号, 1-2-3, 四丁目5番地).
 * A prefecture or city alone ("東京都の支社") is not personal data and is not reported. Without a
 * prefecture the address needs a label (住所, 所在地, 〒…) just before it. Every quantifier is bounded.
 */
const PLACE = '[\\p{Script=Han}\\p{Script=Katakana}ヶケ々ー]';
const CITY = `(?:${PLACE}{1,7}?[市区町村郡]){1,2}`;
const TOWN = `[\\p{Script=Han}\\p{Script=Katakana}ヶケ々ーがの]{0,12}`;
const NUM = '(?:\\d{1,5}|[〇一二三四五六七八九十]{1,3})';
const HOUSE = `(?:${NUM}(?:丁目|番地|番|号|-|の)){1,4}(?:\\d{1,5}号?)?`;
const WITH_PREFECTURE = new RegExp(`(?:${PREFECTURE_PATTERN})${CITY}${TOWN}${HOUSE}`, 'gu');
const WITHOUT_PREFECTURE = new RegExp(`(?<!${PLACE})${CITY}${TOWN}${HOUSE}`, 'gu');
const LABEL = /住所|所在地|所在|送付先|届け?先|現住所|本籍|居所|address|〒\d{3}-?\d{4}/;

/** "1-2-3 Marunouchi, Chiyoda-ku, Tokyo": romanised Japanese addresses. */
const ROMAJI =
  /\b\d{1,4}(?:-\d{1,4}){1,2},? [A-Z][a-z]+(?:[ -][A-Z]?[a-z]+){0,2},? [A-Z][a-z]+-(?:ku|shi|cho|machi|gun)\b(?:, ?[A-Z][a-z]+(?:-(?:to|fu|ken))?)?/g;

function trimHouseNumber(s: string): string {
  return s.replace(/[-の]+$/, '');
}

function collect(
  re: RegExp,
  text: ScanText,
  out: PiiMatch[],
  accept: (start: number) => boolean,
  confidence: number,
): void {
  re.lastIndex = 0;
  for (let m = re.exec(text.folded); m !== null; m = re.exec(text.folded)) {
    const value = trimHouseNumber(m[0]);
    if (!/[\d〇一二三四五六七八九十]/.test(value) || !accept(m.index)) continue;
    out.push(matchAt(text, 'address', m.index, m.index + value.length, confidence));
  }
}

export function detectAddresses(text: ScanText): PiiMatch[] {
  const out: PiiMatch[] = [];
  collect(WITH_PREFECTURE, text, out, () => true, 0.92);
  collect(WITHOUT_PREFECTURE, text, out, (start) => LABEL.test(before(text.folded, start, 14)), 0.8);
  collect(ROMAJI, text, out, () => true, 0.85);
  return out;
}
