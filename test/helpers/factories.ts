import { randomBytes } from 'node:crypto';
import { OPERATOR } from '../../src/tenancy/actor.js';
import type { Actor } from '../../src/tenancy/actor.js';
import type { Company } from '../../src/tenancy/companies/company-repository.js';
import type { Group } from '../../src/tenancy/groups/group-repository.js';
import type { CompanyRole, Sector, UserRole } from '../../src/tenancy/roles.js';
import type { Tenancy } from '../../src/tenancy/tenancy-module.js';
import type { User } from '../../src/tenancy/users/user-repository.js';

export const TEST_PASSWORD = 'correct horse battery staple';

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export function createGroup(tenancy: Tenancy, slug = unique('grp')): Promise<Group> {
  return tenancy.groups.create(OPERATOR, { slug, name: `Group ${slug}` });
}

export function createCompany(
  tenancy: Tenancy,
  options: { slug?: string; groupId?: string | null; sector?: Sector; region?: string } = {},
): Promise<Company> {
  const slug = options.slug ?? unique('co');
  return tenancy.companies.create(OPERATOR, {
    slug,
    name: `Company ${slug}`,
    groupId: options.groupId ?? null,
    ...(options.sector ? { sector: options.sector } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
}

export async function createUser(
  tenancy: Tenancy,
  tenantId: string,
  role: UserRole = 'member',
  email?: string,
): Promise<User> {
  const created = await tenancy.users.create(OPERATOR, tenantId, {
    email: email ?? `${unique(role)}@example.com`,
    role,
    password: TEST_PASSWORD,
  });
  return created.user;
}

export async function createApiKey(
  tenancy: Tenancy,
  tenantId: string,
  role: CompanyRole = 'member',
): Promise<string> {
  return (await tenancy.apiKeys.create(OPERATOR, tenantId, { role })).key;
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** An admin of the company acting through a service directly (no session or key needed). */
export const companyAdmin = (tenantId: string): Actor => ({
  kind: 'user',
  id: 'u1',
  role: 'admin',
  tenantId,
  groupId: null,
});
