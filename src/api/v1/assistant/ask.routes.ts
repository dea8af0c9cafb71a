import type { Assistant } from '../../../assistant/assistant-module.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema } from '../../schemas.js';
import { askBodySchema, askResponseSchema } from './assistant-schemas.js';
import { openEventStream, wantsEventStream } from './event-stream.js';

/**
 * Ask the company's documents. JSON by default; with `Accept: text/event-stream` the answer streams
 * as Server-Sent Events: `text` ({delta}), `citation` ({citation}), then `done` ({mode, found,
 * conversationId, messageId}) or `error` ({code, message}).
 */
export function askRoutes(app: ZodApp, assistant: Assistant): void {
  app.post(
    '/api/v1/ask',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Ask a question; a cited answer, or an honest "not found"',
        description:
          'Send `Accept: text/event-stream` to stream the answer as Server-Sent Events (events `text`, `citation`, `done`, `error`). Without a model provider the answer is extractive (`mode: "extractive"`): verbatim sentences of the best passages, at most 200 characters.',
        body: askBodySchema,
        response: { 200: askResponseSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const tenantId = tenantOf(request);
      if (!wantsEventStream(request)) return assistant.ask.ask(actor, tenantId, request.body);
      // Validation and authorisation errors answer with a status before the stream opens.
      const turn = await assistant.ask.start(actor, tenantId, request.body);
      const stream = openEventStream(request, reply);
      try {
        for await (const event of turn.events(stream.signal)) {
          const { type, ...data } = event;
          stream.send(type, JSON.stringify(data));
        }
      } catch (error) {
        request.log.error({ err: error }, 'answer stream failed');
        stream.send('error', JSON.stringify({ code: 'internal_error', message: 'Internal error.' }));
      } finally {
        stream.end();
      }
      return reply;
    },
  );
}
