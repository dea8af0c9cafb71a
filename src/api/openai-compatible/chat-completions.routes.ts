import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Assistant } from '../../assistant/assistant-module.js';
import type { Citation } from '../../assistant/engine/answer-engine.js';
import { NotFoundError, UnauthenticatedError } from '../../platform/errors/errors.js';
import { authorizeOn } from '../../tenancy/policies.js';
import { actorOf, tenantOf } from '../authenticate.js';
import type { ZodApp } from '../route-types.js';
import { openEventStream } from '../v1/assistant/event-stream.js';
import { chatRequestSchema, questionAndHistory } from './chat-request.js';
import { handleOpenAiError } from './openai-errors.js';

/** The company's assistant models. One today: Kura's answer engine over the company's documents. */
export const ASSISTANT_MODELS = ['kura'] as const;

/** The sources block appended to the answer text: the inline form of the citations. */
export function sourcesText(citations: readonly Citation[]): string {
  if (citations.length === 0) return '';
  const lines = citations.map((c) => {
    const where = Object.entries(c.anchor)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
    return `[${c.n}] ${c.title}${where ? ` (${where})` : ''} — ${c.uri}`;
  });
  return `\n\nSources:\n${lines.join('\n')}`;
}

/**
 * OpenAI-compatible routes: `GET /v1/models` and `POST /v1/chat/completions` (streaming and not),
 * for ChatGPT-style clients and agent frameworks. Authenticated by the company's API keys; answers
 * carry `[n]` markers and a sources block in the text and a structured `citations` field.
 */
export async function openAiRoutes(app: ZodApp, assistant: Assistant): Promise<void> {
  await app.register(async (scope: FastifyInstance) => {
    const v1 = scope as unknown as ZodApp;
    v1.setErrorHandler(handleOpenAiError);
    v1.addHook('preHandler', async (request) => {
      if (actorOf(request).kind !== 'api_key')
        throw new UnauthenticatedError('Use "Authorization: Bearer <Kura API key>".', 'invalid_api_key');
    });

    v1.get(
      '/v1/models',
      { schema: { tags: ['openai'], summary: 'The assistant models of your company' } },
      async (request) => {
        const actor = actorOf(request);
        const tenantId = tenantOf(request);
        authorizeOn(actor, 'assistant.ask', { tenantId, groupId: actor.groupId }, 'Company');
        const owner = actor.profile?.company.slug ?? 'kura';
        return {
          object: 'list',
          data: ASSISTANT_MODELS.map((id) => ({
            id,
            object: 'model',
            created: 1_764_000_000,
            owned_by: owner,
          })),
        };
      },
    );

    v1.post(
      '/v1/chat/completions',
      {
        schema: {
          tags: ['openai'],
          summary: 'Chat completions: cited answers from your documents',
          body: chatRequestSchema,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const tenantId = tenantOf(request);
        const body = request.body;
        if (!(ASSISTANT_MODELS as readonly string[]).includes(body.model))
          throw new NotFoundError(`Model "${body.model}"`);
        const { question, history } = questionAndHistory(body);
        const id = `chatcmpl-${randomUUID().replaceAll('-', '')}`;
        const created = Math.floor(Date.now() / 1000);
        const input = { question, history, store: false };
        if (body.stream !== true) {
          const result = await assistant.ask.ask(actor, tenantId, input);
          return {
            id,
            object: 'chat.completion',
            created,
            model: body.model,
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: result.answer + sourcesText(result.citations),
                  refusal: null,
                },
                finish_reason: 'stop',
                logprobs: null,
              },
            ],
            usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
            citations: result.citations,
            kura: { mode: result.mode, found: result.found },
          };
        }
        const turn = await assistant.ask.start(actor, tenantId, input);
        const stream = openEventStream(request, reply);
        const chunk = (
          delta: Record<string, unknown>,
          finish: string | null,
          extra: Record<string, unknown> = {},
        ) =>
          stream.send(
            null,
            JSON.stringify({
              id,
              object: 'chat.completion.chunk',
              created,
              model: body.model,
              choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
              ...extra,
            }),
          );
        const citations: Citation[] = [];
        try {
          chunk({ role: 'assistant', content: '' }, null);
          for await (const event of turn.events(stream.signal)) {
            if (event.type === 'text') chunk({ content: event.delta }, null);
            else if (event.type === 'citation') citations.push(event.citation);
            else if (event.type === 'error') {
              stream.send(
                null,
                JSON.stringify({
                  error: { message: event.message, type: 'api_error', param: null, code: event.code },
                }),
              );
            } else {
              const sources = sourcesText(citations);
              if (sources) chunk({ content: sources }, null);
              chunk({}, 'stop', { citations, kura: { mode: event.mode, found: event.found } });
            }
          }
          stream.send(null, '[DONE]');
        } finally {
          stream.end();
        }
        return reply;
      },
    );
  });
}
