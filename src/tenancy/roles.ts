/** Roles a person or key holds inside a company. `operator` is the local CLI only, never issued over HTTP. */
export const COMPANY_ROLES = ['admin', 'member', 'viewer'] as const;
export const USER_ROLES = ['group_admin', ...COMPANY_ROLES] as const;

export type CompanyRole = (typeof COMPANY_ROLES)[number];
export type UserRole = (typeof USER_ROLES)[number];
export type Role = UserRole | 'operator';

export const SECTORS = ['general', 'finance', 'government', 'medical', 'education'] as const;
export type Sector = (typeof SECTORS)[number];
