import { InvalidRequestError } from '../platform/errors/errors.js';

/** Longest query accepted, in characters (UTF-16 code units). Longer ones answer 400 invalid_query. */
export const MAX_QUERY_CHARS = 2_000;

/**
 * At most this many distinct terms reach the database: a pasted page cannot turn one query into
 * thousands of posting-list scans. The first ones, in query order, are kept.
 */
export const MAX_QUERY_TERMS = 64;

export interface PreparedQuery {
  /** Distinct analysed terms, in first-seen order. */
  terms: string[];
  /** More distinct terms were found than were kept. */
  truncated: boolean;
}

/**
 * Turns what a user typed into the terms the index is asked for. Duplicates are dropped: the
 * benchmark measured that counting a repeated question word twice ranks slightly worse
 * (docs/BENCHMARKS.md), and it bounds the work. Nothing of the raw text reaches SQL: only analysed
 * tokens (letters, marks and digits), passed as parameters.
 */
export function prepareQuery(analyze: (text: string) => string[], raw: string | undefined): PreparedQuery {
  const text = raw ?? '';
  if (text.trim() === '') throw new InvalidRequestError('Give a search query (q).', 'invalid_query');
  if (text.length > MAX_QUERY_CHARS) {
    throw new InvalidRequestError(
      `The query is too long (at most ${MAX_QUERY_CHARS} characters).`,
      'invalid_query',
    );
  }
  const seen = new Set<string>();
  let truncated = false;
  for (const term of analyze(text)) {
    if (seen.has(term)) continue;
    if (seen.size === MAX_QUERY_TERMS) {
      truncated = true;
      break;
    }
    seen.add(term);
  }
  return { terms: [...seen], truncated };
}

export interface ExpandedQuery extends PreparedQuery {
  /** Terms added by the company's synonyms. */
  expanded: number;
}

/** Adds synonym terms not already in the query, still within MAX_QUERY_TERMS. */
export function withExpansions(query: PreparedQuery, extra: readonly string[]): ExpandedQuery {
  const terms = [...query.terms];
  const seen = new Set(terms);
  let expanded = 0;
  for (const term of extra) {
    if (seen.has(term) || terms.length >= MAX_QUERY_TERMS) continue;
    seen.add(term);
    terms.push(term);
    expanded++;
  }
  return { terms, truncated: query.truncated, expanded };
}
