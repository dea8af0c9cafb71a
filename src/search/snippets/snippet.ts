/**
 * Snippets: a short piece of a chunk around what matched, cut at Japanese-aware boundaries, with
 * the matched terms as offsets. Offsets, not HTML: the text is returned as it is and the console
 * renders highlights as text nodes inside <mark>, so nothing from a document is ever interpreted
 * as markup.
 *
 * Finding the matches without analysing the chunk again: chunks.tokens holds the chunk's analysed
 * tokens in text order, and each is (mostly) a substring of the normalised text — nouns and Latin
 * words always, verbs and adjectives when their base form is what is written. Each token is looked
 * for a short way ahead of the previous one; tokens not found there (an inflected verb, a synonym)
 * are skipped, never guessed.
 */

export interface Highlight {
  /** Offsets into the snippet text, in UTF-16 code units (JavaScript string indices). */
  start: number;
  end: number;
}

export interface Snippet {
  text: string;
  highlights: Highlight[];
}

export interface SnippetOptions {
  /** Longest snippet, in characters. */
  maxChars?: number;
}

const DEFAULT_MAX_CHARS = 160;
/** How far (in letters and digits) past the previous token a token may start and still be taken as the next one. */
const LOOKAHEAD = 24;
const NON_WORD = /[^\p{L}\p{M}\p{N}]/u;
const MARK = /^\p{M}$/u;
const LATIN = /^[a-z0-9]+$/;
const WORD_CHAR = /[a-z0-9]/;
const SENTENCE = /[^。！？!?．\n]*(?:[。！？!?．]+[」』）)]*\s*|\n+|$)/gu;
const SOFT_BREAK = /[、，,;；:：\s]/u;

interface Normalized {
  text: string;
  /** For each UTF-16 unit of `text`: the original span it came from. */
  from: number[];
  to: number[];
}

/** A combining mark that NFKC may fold into the character before it (checked before taking the fast path). */
function isMark(code: number): boolean {
  return (
    (code >= 0x0300 && code <= 0x036f) ||
    (code >= 0x1ab0 && code <= 0x1aff) ||
    (code >= 0x1dc0 && code <= 0x1dff) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    code === 0x3099 ||
    code === 0x309a ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    code === 0xff9e ||
    code === 0xff9f
  );
}

/**
 * The character itself for those NFKC and lower-casing leave alone or simply lower-case (ASCII,
 * hiragana, katakana, common kanji), a space for ASCII and Japanese punctuation; null when the
 * general path must decide.
 */
function fastFold(code: number): string | null {
  if (code < 0x80) {
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) return String.fromCharCode(code);
    if (code >= 0x41 && code <= 0x5a) return String.fromCharCode(code + 32);
    return ' ';
  }
  if (
    (code >= 0x3041 && code <= 0x3096) ||
    (code >= 0x30a1 && code <= 0x30fa) ||
    code === 0x30fc ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff)
  ) {
    return String.fromCharCode(code);
  }
  if (code === 0x3000 || code === 0x3001 || code === 0x3002) return ' ';
  return null;
}

/** Is the character at `at` a combining mark (one that belongs to the character before it)? */
function combiningAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (isMark(code)) return true;
  if (code < 0x300) return false;
  return MARK.test(String.fromCodePoint(text.codePointAt(at) as number));
}

/** End of the character at `start` with the marks that follow it: one unit for NFKC. */
function unitEnd(text: string, start: number): number {
  const step = (at: number) => ((text.codePointAt(at) as number) > 0xffff ? 2 : 1);
  let end = start + step(start);
  while (end < text.length && combiningAt(text, end)) end += step(end);
  return end;
}

/** The analyser's normalisation (NFKC, lower case, punctuation → space), keeping where each character came from. */
export function normalizeWithOffsets(original: string): Normalized {
  const parts: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  while (i < original.length) {
    const code = original.charCodeAt(i);
    const fast = i + 1 < original.length && isMark(original.charCodeAt(i + 1)) ? null : fastFold(code);
    if (fast !== null) {
      parts.push(fast);
      from.push(i);
      to.push(i + 1);
      i++;
      continue;
    }
    const end = unitEnd(original, i);
    const unit = original.slice(i, end);
    let piece = unit.normalize('NFKC').toLowerCase().normalize('NFKC');
    piece = Array.from(piece, (c) => (NON_WORD.test(c) ? ' ' : c)).join('');
    for (let k = 0; k < piece.length; k++) {
      from.push(i);
      to.push(end);
    }
    parts.push(piece);
    i = end;
  }
  return { text: parts.join(''), from, to };
}

/** Where the chunk's matching tokens are, as spans of the original text. */
export function matchSpans(
  original: string,
  tokens: readonly string[],
  terms: ReadonlySet<string>,
): Highlight[] {
  if (terms.size === 0 || tokens.length === 0) return [];
  const norm = normalizeWithOffsets(original);
  const spans: Highlight[] = [];
  let cursor = 0;
  for (const token of tokens) {
    const at = norm.text.indexOf(token, cursor);
    // Spaces (punctuation, symbols, emoji in the original) do not count towards the distance.
    if (
      at < 0 ||
      (at - cursor > LOOKAHEAD && norm.text.slice(cursor, at).replaceAll(' ', '').length > LOOKAHEAD)
    )
      continue;
    let end = at + token.length;
    // A Latin stem (revenu) covers the whole written word (revenues).
    if (LATIN.test(token)) while (end < norm.text.length && WORD_CHAR.test(norm.text[end] as string)) end++;
    cursor = at + token.length;
    if (!terms.has(token)) continue;
    spans.push({ start: norm.from[at] as number, end: norm.to[end - 1] as number });
  }
  return mergeSpans(spans);
}

function mergeSpans(spans: Highlight[]): Highlight[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Highlight[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

interface Sentence {
  start: number;
  end: number;
}

/** Sentences end at 。！？!?． (with a closing bracket after them) or a line break. */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const m of text.matchAll(SENTENCE)) {
    if (m[0].length === 0) continue;
    out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Never cut between the two halves of a surrogate pair. */
function safeCut(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return Math.max(0, Math.min(at, text.length));
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}

/**
 * The snippet: the sentence with the most distinct matched terms (the earliest on a tie), grown
 * with its neighbours up to `maxChars`; a sentence longer than that is cut around its first match,
 * at a comma or space when one is near. Whitespace runs become one space; "…" marks a cut.
 */
export function buildSnippet(
  original: string,
  tokens: readonly string[],
  terms: ReadonlySet<string>,
  options: SnippetOptions = {},
): Snippet {
  const maxChars = Math.max(20, options.maxChars ?? DEFAULT_MAX_CHARS);
  const spans = matchSpans(original, tokens, terms);
  const parts = sentences(original);
  if (parts.length === 0) return { text: '', highlights: [] };

  const termsIn = (s: Sentence) => {
    const seen = new Set<string>();
    for (const h of spans) if (h.start >= s.start && h.end <= s.end) seen.add(original.slice(h.start, h.end));
    return seen.size;
  };
  let best = 0;
  let bestCount = -1;
  parts.forEach((s, i) => {
    const n = termsIn(s);
    if (n > bestCount) {
      best = i;
      bestCount = n;
    }
  });

  const sentence = parts[best] as Sentence;
  let start = sentence.start;
  let end = sentence.end;
  if (end - start > maxChars) {
    const first = spans.find((h) => h.start >= sentence.start && h.end <= sentence.end);
    const anchor = first ? first.start : sentence.start;
    start = Math.max(sentence.start, anchor - Math.floor(maxChars / 4));
    const soft = original.slice(start, anchor).search(SOFT_BREAK);
    if (soft >= 0 && start > sentence.start) start += soft + 1;
    end = Math.min(sentence.end, start + maxChars);
  } else {
    for (let i = best + 1; i < parts.length && (parts[i] as Sentence).end - start <= maxChars; i++)
      end = (parts[i] as Sentence).end;
    for (let i = best - 1; i >= 0 && end - (parts[i] as Sentence).start <= maxChars; i--)
      start = (parts[i] as Sentence).start;
  }
  start = safeCut(original, start);
  end = safeCut(original, end);
  return render(original, start, end, spans);
}

const isSpace = (code: number) =>
  code === 0x20 ||
  (code >= 0x09 && code <= 0x0d) ||
  code === 0x3000 ||
  code === 0xa0 ||
  code === 0x2028 ||
  code === 0x2029;

/** The text between start and end with whitespace collapsed and "…" at cuts; highlights moved along. */
function render(original: string, start: number, end: number, spans: readonly Highlight[]): Snippet {
  let text = '';
  const at: number[] = []; // original index → snippet index, for start..end
  let pendingSpace = false;
  for (let i = start; i < end; i++) {
    const c = original[i] as string;
    if (isSpace(c.charCodeAt(0))) {
      pendingSpace = text.length > 0;
      at[i - start] = text.length;
      continue;
    }
    if (pendingSpace) {
      text += ' ';
      pendingSpace = false;
    }
    at[i - start] = text.length;
    text += c;
  }
  at[end - start] = text.length;
  const lead = start > 0 && original.slice(0, start).trim() !== '' ? '…' : '';
  const tail = end < original.length && original.slice(end).trim() !== '' ? '…' : '';
  const shift = lead.length;
  const highlights: Highlight[] = [];
  for (const h of spans) {
    const s = Math.max(h.start, start);
    const e = Math.min(h.end, end);
    if (e <= s) continue;
    const from = (at[s - start] as number) + shift;
    const to = (at[e - start] as number) + shift;
    if (to > from) highlights.push({ start: from, end: to });
  }
  return { text: lead + text + tail, highlights };
}
