/**
 * Length-preserving width folding: full-width ASCII (０-９, Ａ-Ｚ, ＠, －, （）…) becomes ASCII, the
 * ideographic space a space, dash look-alikes a hyphen-minus, and the long-vowel mark a hyphen when it
 * follows a digit (０９０ー１２３４). Unlike NFKC it never changes the length, so detectors report
 * offsets that are valid in the original text without an offset map.
 */
const DASHES: ReadonlySet<number> = new Set([
  0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe63, 0xff0d,
]);
const LONG_VOWELS: ReadonlySet<number> = new Set([0x30fc, 0xff70]);

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function foldWidth(text: string): string {
  let out: string[] | null = null;
  let prev = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let f = c;
    if (c >= 0xff01 && c <= 0xff5e) f = c - 0xfee0;
    else if (c === 0x3000) f = 0x20;
    else if (DASHES.has(c)) f = 0x2d;
    else if (LONG_VOWELS.has(c) && isDigitCode(prev)) f = 0x2d;
    if (f !== c && out === null) {
      out = [];
      for (let j = 0; j < i; j++) out.push(text[j]!);
    }
    if (out !== null) out.push(f === c ? text[i]! : String.fromCharCode(f));
    prev = f;
  }
  return out === null ? text : out.join('');
}
