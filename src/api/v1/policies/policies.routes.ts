import { z } from 'zod';
import type { Governance } from '../../../governance/governance-module.js';
import { updatePolicyInput } from '../../../governance/residency/residency-service.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema, idParams } from '../../schemas.js';

const policySchema = z.object({
  tenantId: z.string(),
  allowedRegions: z.array(z.string()).nullable(),
  allowedProviders: z.array(z.string()).nullable(),
  allowRetaining: z.boolean(),
  piiMode: z.string(),
  updatedAt: z.string(),
});

const presetsSchema = z.object({
  presets: z.array(
    z.object({
      sector: z.string(),
      rules: policySchema.pick({
        allowedRegions: true,
        allowedProviders: true,
        allowRetaining: true,
        piiMode: true,
      }),
    }),
  ),
});

/** A company's residency policy: its admins, and its group's admins, read and change it. */
export function policyRoutes(app: ZodApp, governance: Governance): void {
  app.get(
    '/api/v1/companies/:id/policy',
    {
      schema: {
        tags: ['companies'],
        summary: "The company's residency policy: regions, providers, retaining providers, PII mode",
        params: idParams,
        response: { 200: policySchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => governance.residency.get(actorOf(request), request.params.id),
  );
  app.put(
    '/api/v1/companies/:id/policy',
    {
      schema: {
        tags: ['companies'],
        summary: 'Change the residency policy; fields left out keep their value, null means any',
        params: idParams,
        body: updatePolicyInput,
        response: { 200: policySchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => governance.residency.update(actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/api/v1/sector-presets',
    {
      schema: {
        tags: ['companies'],
        summary:
          'What each sector preset sets (read-only): the defaults a new company of that sector starts from',
        response: { 200: presetsSchema, 403: errorSchema },
      },
    },
    async (request) => ({ presets: governance.residency.presets(actorOf(request)) }),
  );
}
