import { z } from 'zod';
import type { Assistant } from '../../../assistant/assistant-module.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema, idParams } from '../../schemas.js';
import { conversationSchema, messageSchema } from './assistant-schemas.js';

const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema };

/** The caller's own conversations: list, read with messages, rename, delete, feedback on an answer. */
export function conversationRoutes(app: ZodApp, assistant: Assistant): void {
  const service = assistant.conversations;
  app.get(
    '/api/v1/conversations',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Your conversations, most recent first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }),
        response: { 200: z.object({ conversations: z.array(conversationSchema) }), ...errors },
      },
    },
    async (request) => ({
      conversations: await service.list(actorOf(request), tenantOf(request), request.query.limit),
    }),
  );
  app.get(
    '/api/v1/conversations/:id',
    {
      schema: {
        tags: ['assistant'],
        summary: 'A conversation with its messages, citations and feedback',
        params: idParams,
        response: { 200: conversationSchema.extend({ messages: z.array(messageSchema) }), ...errors },
      },
    },
    async (request) => service.get(actorOf(request), tenantOf(request), request.params.id),
  );
  app.patch(
    '/api/v1/conversations/:id',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Rename a conversation',
        params: idParams,
        body: z.object({ title: z.string() }),
        response: { 200: conversationSchema, ...errors },
      },
    },
    async (request) =>
      service.rename(actorOf(request), tenantOf(request), request.params.id, request.body.title),
  );
  app.delete(
    '/api/v1/conversations/:id',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Delete a conversation: its messages, citations and feedback are deleted, not hidden',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await service.delete(actorOf(request), tenantOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/api/v1/conversations/:id/messages/:messageId/feedback',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Rate an answer good or bad, with an optional comment (replaces earlier feedback)',
        params: z.object({ id: z.string().uuid(), messageId: z.string().uuid() }),
        body: z.object({ rating: z.enum(['good', 'bad']), comment: z.string().nullable().optional() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await service.feedback(
        actorOf(request),
        tenantOf(request),
        request.params.id,
        request.params.messageId,
        {
          rating: request.body.rating,
          comment: request.body.comment ?? null,
        },
      );
      return reply.status(204).send(null);
    },
  );
}
