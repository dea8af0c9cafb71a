/**
 * Splits normalised text into runs of Japanese script (kanji, hiragana,
 * katakana, the long-vowel mark ー) and runs of everything else (Latin,
 * digits, other alphabets). Whitespace separates runs and is dropped.
 */
export type RunKind = 'cjk' | 'word';

export interface TextRun {
  readonly kind: RunKind;
  readonly text: string;
}

const RUN =
  /([\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}ー]+)|([^\s\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}ー]+)/gu;
const HIRAGANA_ONLY = /^\p{sc=Hiragana}+$/u;

export function splitRuns(normalized: string): TextRun[] {
  const runs: TextRun[] = [];
  for (const m of normalized.matchAll(RUN)) {
    if (m[1] !== undefined) runs.push({ kind: 'cjk', text: m[1] });
    else if (m[2] !== undefined) runs.push({ kind: 'word', text: m[2] });
  }
  return runs;
}

export function isHiraganaOnly(text: string): boolean {
  return HIRAGANA_ONLY.test(text);
}
