import { z } from 'zod';
import type { Actor, ActorProfile } from '../../../tenancy/actor.js';
import type { Tenancy } from '../../../tenancy/tenancy-module.js';
import { authorize } from '../../../tenancy/policies.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema } from '../../schemas.js';

const meSchema = z.object({
  kind: z.enum(['user', 'api_key']),
  id: z.string(),
  role: z.string(),
  user: z.object({ email: z.string(), name: z.string() }).nullable(),
  company: z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    region: z.string(),
    sector: z.string(),
  }),
  group: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  csrfToken: z.string().nullable(),
});

/** The authenticator already read company, group and user while verifying the credential. */
async function profileOf(actor: Actor, tenantId: string, tenancy: Tenancy): Promise<ActorProfile> {
  if (actor.profile) return actor.profile;
  const [company, user, group] = await Promise.all([
    tenancy.repos.companies.findById(tenantId),
    actor.kind === 'user' ? tenancy.repos.users.findById(tenantId, actor.id) : undefined,
    actor.groupId ? tenancy.repos.groups.findById(actor.groupId) : undefined,
  ]);
  if (!company) throw new Error('authenticated caller without a company');
  return {
    company: {
      id: company.id,
      slug: company.slug,
      name: company.name,
      region: company.region,
      sector: company.sector,
    },
    group: group ? { id: group.id, slug: group.slug, name: group.name } : null,
    user: user ? { email: user.email, name: user.name } : null,
  };
}

export function meRoutes(app: ZodApp, tenancy: Tenancy): void {
  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['me'],
        summary: 'The caller: user or API key, its company and role',
        response: { 200: meSchema, 401: errorSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'me.read');
      const profile = await profileOf(actor, tenantOf(request), tenancy);
      return {
        kind: actor.kind === 'user' ? ('user' as const) : ('api_key' as const),
        id: actor.id,
        role: actor.role,
        ...profile,
        csrfToken: actor.session?.csrfToken ?? null,
      };
    },
  );
}
