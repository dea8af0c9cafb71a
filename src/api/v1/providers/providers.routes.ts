import { z } from 'zod';
import type { Governance } from '../../../governance/governance-module.js';
import { addProviderInput } from '../../../platform/llm/providers/provider-service.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema } from '../../schemas.js';

const providerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  baseUrl: z.string(),
  region: z.string(),
  chatModel: z.string(),
  embeddingModel: z.string().nullable(),
  retainsData: z.boolean(),
  hasApiKey: z.boolean(),
  createdAt: z.string(),
});
const nameParams = z.object({ name: z.string().min(1).max(63) });

/**
 * The model provider registry: operator-level (credentials, global). Company and group admins may
 * list providers (names, regions, whether they retain data — never credentials) to set a policy.
 */
export function providerRoutes(app: ZodApp, governance: Governance): void {
  app.get(
    '/api/v1/providers',
    {
      schema: {
        tags: ['providers'],
        summary: 'Registered model providers with their region (no credentials)',
        response: { 200: z.object({ providers: z.array(providerSchema) }), 403: errorSchema },
      },
    },
    async (request) => ({ providers: await governance.providers.list(actorOf(request)) }),
  );
  app.post(
    '/api/v1/providers',
    {
      schema: {
        tags: ['providers'],
        summary: 'Register a model provider (operator only); the API key is sealed at rest',
        body: addProviderInput,
        response: { 201: providerSchema, 403: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await governance.providers.add(actorOf(request), request.body)),
  );
  app.delete(
    '/api/v1/providers/:name',
    {
      schema: {
        tags: ['providers'],
        summary: 'Remove a model provider (operator only)',
        params: nameParams,
        response: { 204: z.null(), 403: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      await governance.providers.remove(actorOf(request), request.params.name);
      return reply.status(204).send(null);
    },
  );
}
