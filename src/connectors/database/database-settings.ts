import path from 'node:path';
import { z } from 'zod';
import { principalSchema } from '../acl.js';

const identifier = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\0"`]+$/u, 'a table or column name without quotes or NUL');

/**
 * One table (or view) whose rows become searchable records. `template` renders a row: `{column}`
 * is replaced by its value (default: one `column: value` line per column). `updatedAt` names a
 * column that grows when a row changes: only newer rows are read (deletions are still found by a
 * scan of the keys).
 */
export const tableSpecSchema = z.object({
  name: identifier.describe('table or view, optionally schema-qualified: orders, public.orders'),
  key: z.array(identifier).min(1).max(10).optional().describe('key columns (default: the primary key)'),
  template: z.string().max(10_000).optional(),
  title: z.string().max(500).optional().describe('title template, e.g. 注文 {id} (default: table and key)'),
  updatedAt: identifier.optional(),
  acl: z.array(principalSchema).min(1).max(100).optional(),
});
export type TableSpec = z.infer<typeof tableSpecSchema>;

/** `sources.settings` of a database source. The password lives in `sources.secret`, never here. */
export const databaseSettingsSchema = z
  .object({
    /** postgres:// or mysql:// URL without its password. */
    url: z.string().trim().min(1).max(2000).optional(),
    /** SQLite: the database file on the server. */
    path: z
      .string()
      .trim()
      .min(1)
      .refine((p) => path.isAbsolute(p) && !p.includes('\0'), 'an absolute path')
      .optional(),
    tables: z.array(tableSpecSchema).max(500).default([]),
  })
  .refine((s) => (s.url === undefined) !== (s.path === undefined), { message: 'give either url or path' });
export type DatabaseSettings = z.infer<typeof databaseSettingsSchema>;

/** Splits a connection URL into the URL kept in settings (no password) and the password kept as the secret. */
export function splitCredentials(url: string): { url: string; password: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('not a valid connection URL');
  }
  const password = parsed.password ? decodeURIComponent(parsed.password) : null;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/** The URL to connect with: the stored one plus the password. */
export function withPassword(url: string, password: string | null): string {
  if (!password) return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** The URL shown in messages and URIs: never a password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
