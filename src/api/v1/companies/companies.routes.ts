import { z } from 'zod';
import { createCompanyInput, updateCompanyInput } from '../../../tenancy/companies/company-service.js';
import type { Tenancy } from '../../../tenancy/tenancy-module.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { companySchema, errorSchema, idParams } from '../../schemas.js';

export function companyRoutes(app: ZodApp, tenancy: Tenancy): void {
  app.get(
    '/api/v1/companies',
    {
      schema: {
        tags: ['companies'],
        summary: "Companies the caller may see: its own, or its group's for a group admin",
        response: { 200: z.object({ companies: z.array(companySchema) }) },
      },
    },
    async (request) => ({ companies: await tenancy.companies.list(actorOf(request)) }),
  );
  app.post(
    '/api/v1/companies',
    {
      schema: {
        tags: ['companies'],
        summary: "Create a company in the group admin's group",
        body: createCompanyInput,
        response: { 201: companySchema, 403: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tenancy.companies.create(actorOf(request), request.body)),
  );
  app.get(
    '/api/v1/companies/:id',
    { schema: { tags: ['companies'], params: idParams, response: { 200: companySchema, 404: errorSchema } } },
    async (request) => tenancy.companies.get(actorOf(request), request.params.id),
  );
  app.patch(
    '/api/v1/companies/:id',
    {
      schema: {
        tags: ['companies'],
        params: idParams,
        body: updateCompanyInput,
        response: { 200: companySchema, 404: errorSchema },
      },
    },
    async (request) => tenancy.companies.update(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/v1/companies/:id',
    {
      schema: {
        tags: ['companies'],
        summary: 'Delete a company and everything it owns',
        params: idParams,
        response: { 204: z.null(), 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      await tenancy.companies.remove(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
