import type { Passage } from '../../search/search-service.js';

/** Tokens of retrieved text the generative engine puts in one prompt (default). */
export const CONTEXT_TOKEN_BUDGET = 3_000;

const WIDE = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/gu;

/** A cautious token estimate without the provider's tokenizer: one per CJK character, one per 4 others. */
export function estimateTokens(text: string): number {
  const wide = text.match(WIDE)?.length ?? 0;
  return wide + Math.ceil((text.length - wide) / 4);
}

/**
 * The passages that go into the prompt, within `budget` tokens: first the best passage of each
 * document (so one long document cannot crowd out the others), then further passages by rank.
 * A passage that does not fit is skipped, a smaller one after it may still go in.
 */
export function selectContext(passages: readonly Passage[], budget = CONTEXT_TOKEN_BUDGET): Passage[] {
  const firsts: Passage[] = [];
  const rest: Passage[] = [];
  const documents = new Set<string>();
  for (const p of passages) {
    if (documents.has(p.documentId)) rest.push(p);
    else {
      documents.add(p.documentId);
      firsts.push(p);
    }
  }
  const chosen: Passage[] = [];
  let used = 0;
  for (const p of [...firsts, ...rest]) {
    const cost = estimateTokens(p.text) + 20;
    if (used + cost > budget) continue;
    chosen.push(p);
    used += cost;
  }
  return chosen;
}
