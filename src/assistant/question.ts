import { InvalidRequestError } from '../platform/errors/errors.js';

/** Longest question accepted, in characters: longer ones are pasted documents, not questions. */
export const MAX_QUESTION_CHARS = 2_000;

// C0 and C1 controls except tab, line feed and carriage return.
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

/** A question as asked, trimmed; empty, over-long or control-character questions answer 400 invalid_question. */
export function validateQuestion(raw: string): string {
  const question = raw.trim();
  if (question === '') throw new InvalidRequestError('Ask a question (it is empty).', 'invalid_question');
  if (question.length > MAX_QUESTION_CHARS)
    throw new InvalidRequestError(
      `The question is too long (${question.length} characters; at most ${MAX_QUESTION_CHARS}).`,
      'invalid_question',
    );
  // The raw text is checked, not the trimmed one: trim() would drop a trailing vertical tab or form feed.
  if (CONTROL.test(raw))
    throw new InvalidRequestError('The question contains control characters.', 'invalid_question');
  return question;
}

/** A conversation title from its first question: the first line, at most 60 characters. */
export function titleFrom(question: string): string {
  const line = question.split(/\r?\n/u)[0]!.trim();
  const chars = [...line];
  return chars.length <= 60 ? line : `${chars.slice(0, 59).join('')}…`;
}
