import { z } from 'zod';
import type { Tenancy } from '../../../tenancy/tenancy-module.js';
import { updateGroupInput } from '../../../tenancy/groups/group-service.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema, idParams } from '../../schemas.js';

const groupSchema = z.object({ id: z.string(), slug: z.string(), name: z.string(), createdAt: z.string() });

/** Groups are created by the operator (`kura group create`); group admins read and rename their own. */
export function groupRoutes(app: ZodApp, tenancy: Tenancy): void {
  app.get(
    '/api/v1/groups',
    {
      schema: {
        tags: ['groups'],
        summary: "The caller's group",
        response: { 200: z.object({ groups: z.array(groupSchema) }), 403: errorSchema },
      },
    },
    async (request) => ({ groups: await tenancy.groups.list(actorOf(request)) }),
  );
  app.get(
    '/api/v1/groups/:id',
    { schema: { tags: ['groups'], params: idParams, response: { 200: groupSchema, 404: errorSchema } } },
    async (request) => tenancy.groups.get(actorOf(request), request.params.id),
  );
  app.patch(
    '/api/v1/groups/:id',
    {
      schema: {
        tags: ['groups'],
        params: idParams,
        body: updateGroupInput,
        response: { 200: groupSchema, 404: errorSchema },
      },
    },
    async (request) => tenancy.groups.update(actorOf(request), request.params.id, request.body),
  );
}
