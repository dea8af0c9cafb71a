import { after, before } from '../context-words.js';
import { PREFECTURE_PATTERN, ROMAJI_PLACE } from '../prefectures.js';
import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

const MARKED = /〒[ ]?(\d{3}-?\d{4})(?![\d]|-\d)/g;
const BARE = /(?<![\d\w-])(\d{3}-\d{4}|\d{7})(?!\d|-\d)/g;
const LABEL = /郵便番号|postal|zip|post\s*code|〒|住所|所在地|address|送付先|届け先/;
const PREFECTURE_AFTER = new RegExp(`^[ ,、]{0,2}(?:${PREFECTURE_PATTERN})`);

/** 〒100-0005 anywhere; a bare 100-0005 only with an address label before it or a prefecture right after. */
export function detectPostalCodes(text: ScanText): PiiMatch[] {
  const out: PiiMatch[] = [];
  const f = text.folded;
  MARKED.lastIndex = 0;
  for (let m = MARKED.exec(f); m !== null; m = MARKED.exec(f)) {
    const start = m.index + m[0].length - m[1]!.length;
    out.push(matchAt(text, 'postal_code', start, start + m[1]!.length, 0.97));
  }
  BARE.lastIndex = 0;
  for (let m = BARE.exec(f); m !== null; m = BARE.exec(f)) {
    if (f[m.index - 1] === '〒' || f[m.index - 2] === '〒') continue;
    const end = m.index + m[0].length;
    const labelled = LABEL.test(before(f, m.index, 12));
    const hyphenated = m[0].includes('-');
    const placeAround =
      hyphenated && (PREFECTURE_AFTER.test(after(f, end, 8)) || ROMAJI_PLACE.test(before(f, m.index, 12)));
    if (labelled || placeAround) out.push(matchAt(text, 'postal_code', m.index, end, labelled ? 0.93 : 0.85));
  }
  return out;
}
