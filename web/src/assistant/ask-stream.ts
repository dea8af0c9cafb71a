import { ApiError, openStream } from '../api/client';
import type { AnswerMode, Citation } from '../api/types';

export type AskEvent =
  | { type: 'text'; delta: string }
  | { type: 'citation'; citation: Citation }
  | {
      type: 'done';
      mode: AnswerMode;
      found: boolean;
      conversationId: string | null;
      messageId: string | null;
    }
  | { type: 'error'; code: string; message: string };

/** Splits a Server-Sent Events body into (event, data) frames as its bytes arrive. */
export async function* eventFrames(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
      end = buffer.indexOf('\n\n');
    }
  }
}

/** POST /api/v1/ask with `Accept: text/event-stream`: the answer's events in order. */
export async function* askStream(
  question: string,
  conversationId: string | null,
  signal: AbortSignal,
): AsyncGenerator<AskEvent> {
  const response = await openStream(
    '/api/v1/ask',
    conversationId ? { question, conversationId } : { question },
    signal,
  );
  if (!response.body) throw new ApiError(0, 'network_error', 'no response body');
  for await (const frame of eventFrames(response.body)) {
    const data = JSON.parse(frame.data) as Record<string, unknown>;
    if (
      frame.event === 'text' ||
      frame.event === 'citation' ||
      frame.event === 'done' ||
      frame.event === 'error'
    ) {
      yield { type: frame.event, ...data } as AskEvent;
    }
  }
}
