import { z } from 'zod';

/** Words that route paths use in the slug's position (e.g. /api/v1/auth/sso/callback). */
const RESERVED = new Set(['callback', 'start', 'api', 'static']);

/** Slugs name groups and companies in URLs, CLI flags and sign-in: lower-case ASCII, 1–40 characters. */
export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    'slug must be 1–40 lower-case letters, digits or hyphens, not starting or ending with a hyphen',
  )
  .refine((slug) => !RESERVED.has(slug), { message: 'this slug is reserved' });
