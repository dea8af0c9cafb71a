import type { Anchor } from '../../ingest/parsers/index.js';
import type { PseudonymMap } from '../../governance/pii/index.js';
import type { Passage } from '../../search/search-service.js';

export type AnswerMode = 'extractive' | 'generative';
export type Language = 'ja' | 'en';

/** One source an answer cites with the marker `[n]`: the exact passage, where it is, which chunk. */
export interface Citation {
  n: number;
  documentId: string;
  title: string;
  uri: string;
  /** Page, sheet, slide or section of the chunk. */
  anchor: Anchor;
  /** The exact passage text (the chunk's text as stored). */
  quote: string;
  chunkOrdinal: number;
}

/** A previous turn of the conversation (oldest first): what a generative engine rewrites follow-ups with. */
export interface HistoryTurn {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * The caller's view of the company's documents, bound to the caller by the assistant: every passage
 * it returns is one the caller may see (SearchService applies the company and document ACLs). An
 * engine has no other way to reach documents.
 */
export interface Retrieval {
  passages(query: string, limit: number): Promise<Passage[]>;
  /** The chunks adjacent (ordinal ± 1) to these passages that the caller may read; optional. */
  neighbours?(of: readonly Passage[]): Promise<Passage[]>;
}

/**
 * The caller's natural-language questions to the company's data (the analytics service's
 * `query_data`), bound to the caller by the assistant like Retrieval: the caller's permissions and
 * column masking apply. Absent when the caller may not ask data questions or no data model exists.
 */
export interface DataAccess {
  /** The analytics answer (columns, rows, narrative) or its clarification, as the service returns it. */
  query(question: string): Promise<unknown>;
}

export interface AnswerRequest {
  question: string;
  language: Language;
  history: readonly HistoryTurn[];
  retrieval: Retrieval;
  /** Numbers from the company's databases (the `query_data` tool); absent: not offered. */
  data?: DataAccess | undefined;
  /** Aborted when the client goes away: stop work, emit nothing more. */
  signal?: AbortSignal | undefined;
  /**
   * The conversation's placeholders for personal data (a generative engine passes it to the model
   * gateway so placeholders stay stable across turns; the assistant persists it sealed).
   */
  pseudonyms?: PseudonymMap | undefined;
}

/**
 * What an engine streams, in order: any number of `text` deltas and `citation`s (a citation before
 * or after the text that carries its marker), then exactly one `done`. Throwing ends the answer as
 * failed (the assistant stores the partial text as incomplete).
 */
export type AnswerEvent =
  | { type: 'text'; delta: string }
  | { type: 'citation'; citation: Citation }
  | { type: 'done'; mode: AnswerMode; found: boolean };

/**
 * An answer engine: a question, the conversation so far and the caller's retrieval in, a stream of
 * events out. The assistant validates every citation against the passages the engine retrieved
 * through `retrieval` (a citation of anything else is dropped), stores the answer and streams it on.
 */
export interface AnswerEngine {
  readonly mode: AnswerMode;
  answer(request: AnswerRequest): AsyncIterable<AnswerEvent>;
}
