import type { Anchor } from '../parsers/parsed-document.js';

/** A piece of one section's text, small enough to embed and to quote, with the anchor it cites. */
export interface Chunk {
  /** 0-based position among all chunks of the document; follows section order. */
  ordinal: number;
  /** Exactly `section.text.slice(start, end)`. */
  text: string;
  /** The section's anchor; for table sections, `range` narrowed to this chunk's rows. */
  anchor: Anchor;
  sectionIndex: number;
  /** Offsets into the section's text (UTF-16 code units, as JavaScript strings count). */
  start: number;
  end: number;
}

export interface ChunkOptions {
  /** Size the splitter aims for when a section must be split. */
  targetChars?: number;
  /** Hard ceiling for a chunk, overlap included. */
  maxChars?: number;
  /** Text repeated from the end of the previous chunk of the same section. */
  overlapChars?: number;
}

/**
 * Sizes in characters, chosen for Japanese. 400 characters of Japanese business prose is one or
 * two paragraphs, a complete thought for retrieval; it is ~300–500 tokens in common multilingual
 * embedding tokenisers, so it fits 512-token embedding models with room to spare. 600 is the
 * ceiling that lets the splitter reach a paragraph or sentence end instead of cutting mid-sentence.
 * 50 characters (one short sentence or clause) of overlap keeps a sentence cut at a boundary
 * readable from either side without storing much twice. (English carries less per character, so
 * these sizes are generous for English text, which is fine.)
 */
export const DEFAULT_CHUNK_OPTIONS: Required<ChunkOptions> = {
  targetChars: 400,
  maxChars: 600,
  overlapChars: 50,
};

/** Options made consistent: max ≥ 2 (a surrogate pair must fit), target ≤ max, overlap < max / 2. */
export function resolveChunkOptions(options: ChunkOptions = {}): Required<ChunkOptions> {
  const whole = (value: number | undefined, fallback: number) =>
    value !== undefined && Number.isFinite(value) ? Math.floor(value) : fallback;
  const maxChars = Math.max(2, whole(options.maxChars, DEFAULT_CHUNK_OPTIONS.maxChars));
  const targetChars = Math.min(
    maxChars,
    Math.max(1, whole(options.targetChars, Math.min(DEFAULT_CHUNK_OPTIONS.targetChars, maxChars))),
  );
  const overlapChars = Math.min(
    Math.max(0, whole(options.overlapChars, DEFAULT_CHUNK_OPTIONS.overlapChars)),
    Math.floor((maxChars - 2) / 2),
  );
  return { targetChars, maxChars, overlapChars };
}
