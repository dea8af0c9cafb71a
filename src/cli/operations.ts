import { z } from 'zod';
import { OPERATOR } from '../tenancy/actor.js';
import { USER_ROLES, COMPANY_ROLES, SECTORS } from '../tenancy/roles.js';
import { InvalidRequestError } from '../platform/errors/errors.js';
import type { Runtime } from './runtime.js';

interface Operation<S extends z.ZodType> {
  args: S;
  run: (rt: Runtime, args: z.infer<S>) => Promise<unknown>;
}

const define = <S extends z.ZodType>(args: S, run: Operation<S>['run']): Operation<S> => ({ args, run });

/**
 * What the operator's CLI can do, as named operations with zod-checked arguments. A CLI command runs
 * one locally, or — when a server holds the embedded data directory — sends it to that server over
 * its operator socket (see operator-socket.ts), which runs the very same function.
 */
const operations = {
  'group.create': define(z.object({ slug: z.string(), name: z.string() }), (rt, a) =>
    rt.tenancy.groups.create(OPERATOR, a),
  ),
  'tenant.create': define(
    z.object({
      slug: z.string(),
      name: z.string(),
      group: z.string().optional(),
      region: z.string().optional(),
      sector: z.enum(SECTORS).optional(),
    }),
    async (rt, a) => {
      const group = a.group ? await rt.tenancy.groups.requireBySlug(a.group) : undefined;
      return rt.tenancy.companies.create(OPERATOR, {
        slug: a.slug,
        name: a.name,
        groupId: group?.id ?? null,
        ...(a.region ? { region: a.region } : {}),
        ...(a.sector ? { sector: a.sector } : {}),
      });
    },
  ),
  'user.create': define(
    z.object({
      tenant: z.string(),
      email: z.string(),
      role: z.enum(USER_ROLES),
      name: z.string().optional(),
      password: z.string().optional(),
    }),
    async (rt, a) => {
      const company = await rt.tenancy.companies.requireBySlug(a.tenant);
      if (a.role === 'group_admin' && !company.groupId) {
        throw new InvalidRequestError(`company "${a.tenant}" belongs to no group: a group_admin there would manage nothing`);
      }
      return rt.tenancy.users.create(OPERATOR, company.id, {
        email: a.email,
        role: a.role,
        ...(a.name ? { name: a.name } : {}),
        ...(a.password ? { password: a.password } : {}),
      });
    },
  ),
  'tenant.set-sso': define(
    z.object({
      tenant: z.string(),
      issuer: z.string(),
      clientId: z.string(),
      clientSecret: z.string().optional(),
      defaultRole: z.enum(COMPANY_ROLES).optional(),
    }),
    async (rt, a) => {
      const company = await rt.tenancy.companies.requireBySlug(a.tenant);
      return rt.tenancy.sso.configure(OPERATOR, company.id, {
        issuer: a.issuer,
        clientId: a.clientId,
        ...(a.clientSecret !== undefined ? { clientSecret: a.clientSecret } : {}),
        ...(a.defaultRole ? { defaultRole: a.defaultRole } : {}),
      });
    },
  ),
  'apikey.create': define(
    z.object({ tenant: z.string(), role: z.enum(COMPANY_ROLES).optional(), name: z.string().optional() }),
    async (rt, a) => {
      const company = await rt.tenancy.companies.requireBySlug(a.tenant);
      return rt.tenancy.apiKeys.create(OPERATOR, company.id, {
        ...(a.role ? { role: a.role } : {}),
        ...(a.name ? { name: a.name } : {}),
      });
    },
  ),
};

export type OperationName = keyof typeof operations;

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(operations, name);
}

export async function runOperation(rt: Runtime, name: OperationName, args: unknown): Promise<unknown> {
  const operation: Operation<z.ZodType> = operations[name];
  return operation.run(rt, operation.args.parse(args));
}
