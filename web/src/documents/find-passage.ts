/** Where a chunk is (as in api/types.ts; repeated so this file imports nothing and tests load it as is). */
interface Anchor {
  page?: number;
  sheet?: string;
  range?: string;
  slide?: number;
  heading?: string;
}

interface DocumentChunk {
  ordinal: number;
  text: string;
  anchor: Anchor;
}

/**
 * What the viewer is asked to show: a chunk (by ordinal, when the caller knows it), or a quote to
 * find (a search snippet, a citation's words), with an anchor as the fallback, and terms to mark.
 */
export interface PassageRequest {
  ordinal?: number;
  anchor?: Anchor;
  quote?: string;
  terms?: string[];
}

export interface Range {
  start: number;
  end: number;
}

export interface FoundPassage {
  ordinal: number;
  /** The quote's place in the chunk's text (UTF-16 offsets); the whole chunk when no quote was found. */
  range: Range | null;
  /** The terms' places in the chunk's text. */
  terms: Range[];
}

/** Whitespace runs collapse to one space (as snippets do), keeping where each character came from. */
function collapse(text: string): { text: string; from: number[] } {
  let out = '';
  const from: number[] = [];
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (!space && out.length > 0) {
        out += ' ';
        from.push(i);
      }
      space = true;
      continue;
    }
    space = false;
    out += c;
    from.push(i);
  }
  return { text: out, from };
}

/** The longest piece of a snippet between its "…" cuts, whitespace collapsed. */
function quotePiece(quote: string): string {
  const pieces = quote
    .split('…')
    .map((piece) => collapse(piece).text.trim())
    .filter((piece) => piece.length > 0);
  return pieces.sort((a, b) => b.length - a.length)[0] ?? '';
}

function findIn(chunk: DocumentChunk, piece: string): Range | null {
  const collapsed = collapse(chunk.text);
  const at = collapsed.text.indexOf(piece);
  if (at < 0) return null;
  const start = collapsed.from[at]!;
  const end = collapsed.from[at + piece.length - 1]! + 1;
  return { start, end };
}

function sameAnchor(a: Anchor, b: Anchor): boolean {
  return (
    a.page === b.page &&
    a.slide === b.slide &&
    a.sheet === b.sheet &&
    a.range === b.range &&
    a.heading === b.heading
  );
}

function termRanges(text: string, terms: readonly string[], within: Range | null): Range[] {
  const ranges: Range[] = [];
  const lower = text.toLowerCase();
  const from = within?.start ?? 0;
  const to = within?.end ?? text.length;
  for (const term of new Set(terms.map((t) => t.toLowerCase()).filter((t) => t.trim().length > 0))) {
    for (
      let at = lower.indexOf(term, from);
      at >= 0 && at + term.length <= to;
      at = lower.indexOf(term, at + 1)
    ) {
      ranges.push({ start: at, end: at + term.length });
    }
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  // Overlaps merge: a mark never straddles another.
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start < last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** Finds the requested passage among the chunks: by ordinal, else by the quote, else by the anchor. */
export function findPassage(chunks: readonly DocumentChunk[], request: PassageRequest): FoundPassage | null {
  const piece = request.quote ? quotePiece(request.quote) : '';
  const candidates =
    request.ordinal !== undefined ? chunks.filter((c) => c.ordinal === request.ordinal) : chunks;
  // Chunks at the anchor first: the same words may appear elsewhere too.
  const ordered = request.anchor
    ? [...candidates.filter((c) => sameAnchor(c.anchor, request.anchor!)), ...candidates]
    : candidates;
  if (piece) {
    for (const chunk of ordered) {
      const range = findIn(chunk, piece);
      if (range)
        return { ordinal: chunk.ordinal, range, terms: termRanges(chunk.text, request.terms ?? [], range) };
    }
  }
  const fallback =
    request.ordinal !== undefined
      ? candidates[0]
      : request.anchor
        ? chunks.find((c) => sameAnchor(c.anchor, request.anchor!))
        : undefined;
  if (!fallback) return null;
  return {
    ordinal: fallback.ordinal,
    range: null,
    terms: termRanges(fallback.text, request.terms ?? [], null),
  };
}

/** A chunk's text cut into plain and marked pieces (rendered as text nodes: nothing is HTML). */
export function segments(
  text: string,
  passage: Range | null,
  terms: readonly Range[],
): { text: string; passage: boolean; term: boolean }[] {
  const cuts = new Set<number>([0, text.length]);
  if (passage) {
    cuts.add(passage.start);
    cuts.add(passage.end);
  }
  for (const term of terms) {
    cuts.add(term.start);
    cuts.add(term.end);
  }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const out: { text: string; passage: boolean; term: boolean }[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (end <= start) continue;
    out.push({
      text: text.slice(start, end),
      passage: passage !== null && start >= passage.start && end <= passage.end,
      term: terms.some((t) => start >= t.start && end <= t.end),
    });
  }
  return out;
}
