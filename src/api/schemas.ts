import { z } from 'zod';

/** Shapes shared by several resources' schemas. */
export const idParams = z.object({ id: z.string().uuid() });
export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export const companySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  groupId: z.string().nullable(),
  region: z.string(),
  sector: z.string(),
  createdAt: z.string(),
});
export const userSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  disabled: z.boolean(),
  sso: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
