/** Shapes of the REST API's answers the console uses (src/api/v1). */

export const USER_ROLES = ['group_admin', 'admin', 'member', 'viewer'] as const;
export const COMPANY_ROLES = ['admin', 'member', 'viewer'] as const;
export const SECTORS = ['general', 'finance', 'government', 'medical', 'education'] as const;
export const REGIONS = ['jp-east', 'jp-west', 'on-prem', 'us', 'eu'] as const;

export type UserRole = (typeof USER_ROLES)[number];
export type CompanyRole = (typeof COMPANY_ROLES)[number];
export type Sector = (typeof SECTORS)[number];

export interface Me {
  kind: 'user' | 'api_key';
  id: string;
  role: string;
  user: { email: string; name: string } | null;
  company: { id: string; slug: string; name: string; region: string; sector: string };
  group: { id: string; slug: string; name: string } | null;
  csrfToken: string | null;
}

export interface User {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  sso: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Company {
  id: string;
  slug: string;
  name: string;
  groupId: string | null;
  region: string;
  sector: string;
  createdAt: string;
}

/** Company slugs, as the server checks them (src/tenancy/slug.ts). */
export const SLUG_PATTERN = '[a-z0-9](?:[a-z0-9\\-]{0,38}[a-z0-9])?';
export const isSlug = (value: string): boolean => new RegExp(`^${SLUG_PATTERN}$`).test(value);
