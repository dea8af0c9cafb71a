import { normalizeText } from './normalize.js';
import { latinTerm } from './latin.js';

/**
 * Per-company synonym groups, e.g. [['売上', '売上高', 'revenue']]. Every member
 * of a group is rewritten to one canonical token (the normalised first member,
 * spaces removed), on the document side and the query side alike.
 */
export type SynonymGroups = readonly (readonly string[])[];

export interface SynonymTable {
  /** Matches any normalised synonym phrase in normalised text (longest first). */
  readonly pattern: RegExp | null;
  /** Normalised phrase → canonical token. */
  readonly phrases: ReadonlyMap<string, string>;
  /** Stemmed single English word → canonical token (catches revenues, sales…). */
  readonly stems: ReadonlyMap<string, string>;
}

const JAPANESE = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}ー';
// A Latin-edged phrase must not be glued to other non-Japanese letters/digits.
const NON_JA_WORD = `[[\\p{L}\\p{M}\\p{N}]--[${JAPANESE}]]`;
const JA_CHAR = new RegExp(`^[${JAPANESE}]$`, 'u');
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/\-&!#%,:;<=>@`~'"]/g;

function escapeForV(text: string): string {
  return text.replace(REGEX_SPECIAL, (c) => `\\${c}`);
}

function phrasePattern(phrase: string): string {
  const chars = Array.from(phrase);
  const first = chars[0] ?? '';
  const last = chars[chars.length - 1] ?? '';
  const before = JA_CHAR.test(first) ? '' : `(?<!${NON_JA_WORD})`;
  const after = JA_CHAR.test(last) ? '' : `(?!${NON_JA_WORD})`;
  return `${before}${escapeForV(phrase)}${after}`;
}

export function compileSynonyms(groups: SynonymGroups): SynonymTable {
  const phrases = new Map<string, string>();
  const stems = new Map<string, string>();
  for (const group of groups) {
    const normalised = group.map(normalizeText).filter((p) => p !== '');
    const head = normalised[0];
    if (head === undefined) continue;
    const canonical = head.replace(/ /g, '');
    for (const phrase of normalised) {
      if (!phrases.has(phrase)) phrases.set(phrase, canonical);
      if (/^[a-z]+$/.test(phrase)) {
        const stem = latinTerm(phrase);
        if (stem !== null && !stems.has(stem)) stems.set(stem, canonical);
      }
    }
  }
  if (phrases.size === 0) return { pattern: null, phrases, stems };
  const alternatives = [...phrases.keys()]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map(phrasePattern);
  return { pattern: new RegExp(alternatives.join('|'), 'gv'), phrases, stems };
}

export const NO_SYNONYMS: SynonymTable = compileSynonyms([]);
