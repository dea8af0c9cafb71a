import { notFoundMessage } from '../language.js';
import type { AnswerEngine, AnswerEvent, AnswerRequest } from './answer-engine.js';
import { DEFAULT_EXTRACT, extractAnswer, type ExtractOptions } from './extract-answer.js';

/** Passages the extractive engine reads: a few, since a short answer is taken from the best of them. */
export const EXTRACTIVE_PASSAGES = 5;

/**
 * The embedded default, with no model provider: the best sentences of the caller's best passages,
 * verbatim, each piece followed by its `[n]` marker — or the honest "not found" in the question's
 * language when no sentence covers enough of the question. Labelled `mode: "extractive"`.
 */
export class ExtractiveEngine implements AnswerEngine {
  readonly mode = 'extractive' as const;

  constructor(private readonly options: ExtractOptions = DEFAULT_EXTRACT) {}

  async *answer(request: AnswerRequest): AsyncIterable<AnswerEvent> {
    const passages = await request.retrieval.passages(request.question, EXTRACTIVE_PASSAGES);
    if (request.signal?.aborted) return;
    const extracted = extractAnswer(request.question, passages, this.options);
    if (!extracted.found) {
      yield { type: 'text', delta: notFoundMessage(request.language) };
      yield { type: 'done', mode: this.mode, found: false };
      return;
    }
    const numbers = new Map<number, number>();
    for (const [i, part] of extracted.parts.entries()) {
      let n = numbers.get(part.passage);
      if (n === undefined) {
        n = numbers.size + 1;
        numbers.set(part.passage, n);
        const p = passages[part.passage]!;
        yield {
          type: 'citation',
          citation: {
            n,
            documentId: p.documentId,
            title: p.title,
            uri: p.uri,
            anchor: p.anchor,
            quote: p.text,
            chunkOrdinal: p.ordinal,
          },
        };
      }
      const separator = i > 0 && request.language === 'en' ? ' ' : '';
      yield { type: 'text', delta: `${separator}${part.text}[${n}]` };
    }
    yield { type: 'done', mode: this.mode, found: true };
  }
}
