/**
 * Context look-ups around a candidate: labels before a number say what it is. Windows are short and
 * fixed, so every look-up costs O(window), whatever the text's length.
 */
export function before(folded: string, start: number, width: number): string {
  return folded.slice(Math.max(0, start - width), start).toLowerCase();
}

export function after(folded: string, end: number, width: number): string {
  return folded.slice(end, end + width).toLowerCase();
}

/**
 * Labels that name a number as something other than personal data: order, invoice, product,
 * tracking, booking numbers and the like. A number right after one is not reported unless a
 * positive label (マイナンバー, カード, 電話…) is nearer.
 */
export const NON_PERSONAL_LABEL =
  /(?:注文|受注|発注|伝票|請求書?|管理|製品|商品|問い?合わ?せ|追跡|予約|見積|案件|チケット|シリアル|受付|出荷|納品|部品|ロット|文書|契約)(番号|no|コード|id)|品番|型番|型式|製造番号|jan|isbn|issn|order|invoice|inv\b|tracking|sku|serial|part\s*(no|number)|ref(erence)?\b|ticket|booking|po\s*(no|number|#)|lot\b|batch|model|tx\s*id|transaction|timestamp|version/g;

/** End of the last match of the global regex `re` in `s`, or -1 (for "which label is nearer"). */
export function lastIndexOf(s: string, re: RegExp): number {
  re.lastIndex = 0;
  let last = -1;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  return last;
}

/** `positive` must be a global regex. Positive label nearer than any non-personal label → 'positive'; only a non-personal one → 'negative'. */
export function labelVerdict(
  folded: string,
  start: number,
  positive: RegExp,
  width = 24,
): 'positive' | 'negative' | 'none' {
  const s = before(folded, start, width);
  const pos = lastIndexOf(s, positive);
  const neg = lastIndexOf(s, NON_PERSONAL_LABEL);
  if (pos >= 0 && pos >= neg) return 'positive';
  if (neg >= 0) return 'negative';
  return 'none';
}
