import type { Passage } from '../../search/search-service.js';
import { CONTEXT_TOKEN_BUDGET, selectContext } from './context-budget.js';

/**
 * One passage of the prompt: one chunk, or several adjacent chunks of one document read as one
 * continuous text. Each chunk keeps its own source number (`first`, `first + 1`, …), so a citation
 * still names the exact chunk — and with it the page, sheet or section — it came from.
 */
export interface ContextBlock {
  /** The source number of the first part; the others follow in order. */
  first: number;
  /** Chunks of one document in reading order (consecutive ordinals). */
  parts: Passage[];
}

export interface AssembledContext {
  blocks: ContextBlock[];
  /** Every part in source-number order: source n is passages[n - first of the context]. */
  passages: Passage[];
}

/**
 * The prompt's context: the budget picks passages (see selectContext), then the picked chunks of one
 * document whose ordinals are adjacent are merged into one block, placed where its best-ranked chunk
 * was. Merging only removes per-source overhead and repeated overlap, so it never exceeds the budget.
 */
export function assembleContext(
  passages: readonly Passage[],
  budget = CONTEXT_TOKEN_BUDGET,
  firstNumber = 1,
): AssembledContext {
  const chosen = selectContext(passages, budget);
  const runs: Passage[][] = [];
  for (const p of chosen) {
    const before = runs.find((run) => neighbours(run.at(-1)!, p));
    const after = runs.find((run) => neighbours(p, run[0]!));
    if (before && after) {
      before.push(p, ...after);
      runs.splice(runs.indexOf(after), 1);
    } else if (before) before.push(p);
    else if (after) after.unshift(p);
    else runs.push([p]);
  }
  const blocks: ContextBlock[] = [];
  const ordered: Passage[] = [];
  for (const parts of runs) {
    blocks.push({ first: firstNumber + ordered.length, parts });
    ordered.push(...parts);
  }
  return { blocks, passages: ordered };
}

const neighbours = (a: Passage, b: Passage) => a.documentId === b.documentId && a.ordinal + 1 === b.ordinal;

/** Longest repeated lead-in considered: the chunker overlaps adjacent chunks by about 50 characters. */
const MAX_OVERLAP = 200;
/** A shorter common piece is likely chance, not the chunker's overlap. */
const MIN_OVERLAP = 8;

/**
 * The text of `next` as it reads after `previous`: without the lead-in it repeats from the end of
 * `previous` (the chunker's overlap), so the merged passage reads once, like the document.
 */
export function withoutOverlap(previous: string, next: string): string {
  const longest = Math.min(MAX_OVERLAP, previous.length, next.length);
  for (let k = longest; k >= MIN_OVERLAP; k -= 1)
    if (previous.endsWith(next.slice(0, k))) return next.slice(k).replace(/^\s+/u, '');
  return next;
}
