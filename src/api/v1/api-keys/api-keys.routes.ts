import { z } from 'zod';
import { createApiKeyInput } from '../../../tenancy/api-keys/api-key-service.js';
import type { Tenancy } from '../../../tenancy/tenancy-module.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema, idParams } from '../../schemas.js';

const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export function apiKeyRoutes(app: ZodApp, tenancy: Tenancy): void {
  app.get(
    '/api/v1/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        response: { 200: z.object({ apiKeys: z.array(apiKeySchema) }), 403: errorSchema },
      },
    },
    async (request) => ({ apiKeys: await tenancy.apiKeys.list(actorOf(request), tenantOf(request)) }),
  );
  app.post(
    '/api/v1/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the key itself is in this response only',
        body: createApiKeyInput,
        response: { 201: z.object({ apiKey: apiKeySchema, key: z.string() }), 403: errorSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tenancy.apiKeys.create(actorOf(request), tenantOf(request), request.body)),
  );
  app.delete(
    '/api/v1/api-keys/:id',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key',
        params: idParams,
        response: { 200: apiKeySchema, 404: errorSchema },
      },
    },
    async (request) => tenancy.apiKeys.revoke(actorOf(request), tenantOf(request), request.params.id),
  );
}
