import { z } from 'zod';
import { InvalidRequestError } from '../../platform/errors/errors.js';
import type { HistoryTurn } from '../../assistant/engine/answer-engine.js';

/** A message's content: a string, or text parts (other part kinds are not read). */
const contentSchema = z.union([
  z.string(),
  z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()),
  z.null(),
]);

/** What Kura reads of a chat completions request; other OpenAI parameters are accepted and ignored. */
export const chatRequestSchema = z
  .object({
    model: z.string(),
    messages: z
      .array(z.object({ role: z.string(), content: contentSchema.optional() }).passthrough())
      .min(1)
      .max(200),
    stream: z.boolean().nullable().optional(),
  })
  .passthrough();

export type ChatRequest = z.infer<typeof chatRequestSchema>;

const textOf = (content: z.infer<typeof contentSchema> | undefined): string =>
  typeof content === 'string'
    ? content
    : (content ?? [])
        .filter((p) => p.type === 'text' && typeof p.text === 'string')
        .map((p) => p.text)
        .join('\n');

/** The last user message is the question; earlier user and assistant messages are the history. */
export function questionAndHistory(request: ChatRequest): { question: string; history: HistoryTurn[] } {
  const last = request.messages[request.messages.length - 1]!;
  if (last.role !== 'user')
    throw new InvalidRequestError("The last message must be the user's question.", 'invalid_messages');
  const history = request.messages
    .slice(0, -1)
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => ({ role: m.role as HistoryTurn['role'], content: textOf(m.content) }));
  return { question: textOf(last.content), history };
}
