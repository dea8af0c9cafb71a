/** A sentence of a passage: its text (trimmed) and where it starts in the passage (UTF-16 offset). */
export interface Sentence {
  text: string;
  start: number;
}

// A Japanese sentence ends at 。！？ (and their half-width forms), closing brackets kept with it; a
// Latin one at . ! ? followed by a space (so 3.5 and e.g. inside a word do not split); a line break
// always ends one (headings, list items, table rows).
const SENTENCE = /[^\n。！？!?｡]+?(?:[。！？｡]+[」』）)"']*|[.!?]+[)"']*(?=\s|$)|(?=\n)|$)/gu;

/** Splits a passage into sentences; blank pieces are dropped. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const match of text.matchAll(SENTENCE)) {
    const raw = match[0];
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    out.push({ text: trimmed, start: match.index + raw.indexOf(trimmed) });
  }
  return out;
}
