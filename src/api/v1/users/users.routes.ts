import { z } from 'zod';
import type { Tenancy } from '../../../tenancy/tenancy-module.js';
import { createUserInput, updateUserInput } from '../../../tenancy/users/user-service.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema, idParams, userSchema } from '../../schemas.js';

/** Users of the caller's own company. */
export function userRoutes(app: ZodApp, tenancy: Tenancy): void {
  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        response: { 200: z.object({ users: z.array(userSchema) }), 403: errorSchema },
      },
    },
    async (request) => ({ users: await tenancy.users.list(actorOf(request), tenantOf(request)) }),
  );
  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user; a generated password is returned once when none is given',
        body: createUserInput,
        response: {
          201: z.object({ user: userSchema, generatedPassword: z.string().optional() }),
          409: errorSchema,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tenancy.users.create(actorOf(request), tenantOf(request), request.body)),
  );
  app.get(
    '/api/v1/users/:id',
    { schema: { tags: ['users'], params: idParams, response: { 200: userSchema, 404: errorSchema } } },
    async (request) => tenancy.users.get(actorOf(request), tenantOf(request), request.params.id),
  );
  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        params: idParams,
        body: updateUserInput,
        response: { 200: userSchema, 404: errorSchema },
      },
    },
    async (request) =>
      tenancy.users.update(actorOf(request), tenantOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/v1/users/:id',
    { schema: { tags: ['users'], params: idParams, response: { 204: z.null(), 404: errorSchema } } },
    async (request, reply) => {
      await tenancy.users.remove(actorOf(request), tenantOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
