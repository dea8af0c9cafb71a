import type { ParsedSection } from '../parsers/parsed-document.js';
import { resolveChunkOptions, type Chunk, type ChunkOptions } from './chunk.js';
import { splitProse } from './split-prose.js';
import { splitRows } from './split-rows.js';

/**
 * Cuts sections into chunks for search. Structure first: a chunk never spans two sections (a
 * page, sheet, slide or heading boundary), so every chunk keeps exactly one anchor; inside a
 * section the split prefers paragraph breaks, then sentence ends (。！？, and . ! ? before a
 * space), then line breaks and commas (、，), and cuts hard only when nothing else fits. Table
 * sections split between rows with a range per chunk. Whitespace-only pieces are not chunks.
 */
export function chunkSections(sections: ParsedSection[], options?: ChunkOptions): Chunk[] {
  const resolved = resolveChunkOptions(options);
  const chunks: Chunk[] = [];
  sections.forEach((section, sectionIndex) => {
    const { text, anchor } = section;
    if (text.trim() === '') return;
    const rows = anchor.range !== undefined ? splitRows(text, anchor.range, resolved) : undefined;
    const spans = rows ?? splitProse(text, resolved).map((span) => ({ ...span, range: anchor.range }));
    for (const span of spans) {
      const chunkText = text.slice(span.start, span.end);
      if (chunkText.trim() === '') continue;
      chunks.push({
        ordinal: chunks.length,
        text: chunkText,
        anchor: span.range === undefined ? { ...anchor } : { ...anchor, range: span.range },
        sectionIndex,
        start: span.start,
        end: span.end,
      });
    }
  });
  return chunks;
}
