import type { FastifyReply, FastifyRequest } from 'fastify';

/** Does the client ask for Server-Sent Events? */
export const wantsEventStream = (request: FastifyRequest): boolean =>
  (request.headers.accept ?? '').split(',').some((t) => t.trim().startsWith('text/event-stream'));

/**
 * Takes over the response for Server-Sent Events: headers now, then `send(event, data)` frames.
 * `signal` aborts when the client goes away, so the producer stops (and stores nothing half-done).
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply) {
  const controller = new AbortController();
  reply.hijack();
  const raw = reply.raw;
  raw.on('close', () => {
    if (!raw.writableFinished) controller.abort();
  });
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.flushHeaders();
  void request;
  return {
    signal: controller.signal,
    /** One frame; `event` omitted for OpenAI-style `data:`-only streams. */
    send(event: string | null, data: string): void {
      if (raw.destroyed) return;
      raw.write(`${event ? `event: ${event}\n` : ''}data: ${data}\n\n`);
    },
    end(): void {
      if (!raw.destroyed) raw.end();
    },
  };
}
