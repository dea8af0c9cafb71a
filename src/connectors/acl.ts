import { z } from 'zod';

/**
 * Who may see a document: `everyone` in the company, one person (`user:<id>` or `user:<e-mail>`),
 * or a company group (`group:<name>`). Search filters chunks by these strings.
 */
export const principalSchema = z
  .string()
  .trim()
  .min(1)
  .max(320)
  .regex(
    /^(everyone|user:[^\s,]+|group:[^,]+)$/u,
    'a principal is "everyone", "user:<e-mail or id>" or "group:<name>"',
  );

export const EVERYONE = ['everyone'];

/** One rule of a folder source's ACL mapping: files under `prefix` are visible to `principals`. */
export const aclRuleSchema = z.object({
  prefix: z.string().trim().max(1000),
  principals: z.array(principalSchema).min(1).max(100),
});
export type AclRule = z.infer<typeof aclRuleSchema>;

const normalisePrefix = (prefix: string) =>
  prefix
    .replace(/\\/g, '/')
    .replace(/^(\.\/|\/)+/, '')
    .replace(/\/+$/, '');

/**
 * The principals of a relative path: the rule with the longest matching prefix wins (a prefix
 * matches the path itself or anything below it); no match means everyone in the company.
 */
export function principalsFor(relativePath: string, rules: readonly AclRule[]): string[] {
  let best: { length: number; principals: string[] } | undefined;
  for (const rule of rules) {
    const prefix = normalisePrefix(rule.prefix);
    const matches = prefix === '' || relativePath === prefix || relativePath.startsWith(`${prefix}/`);
    if (matches && (!best || prefix.length > best.length))
      best = { length: prefix.length, principals: rule.principals };
  }
  return best ? [...new Set(best.principals)].sort() : EVERYONE;
}

/**
 * Turns `user:<e-mail>` into `user:<id>` when the company has that user, so an ACL survives a
 * change of address; unknown addresses stay as given (lower-cased) and match once the user exists.
 */
export async function resolvePrincipals(
  principals: readonly string[],
  findUserId: (email: string) => Promise<string | undefined>,
  cache = new Map<string, string>(),
): Promise<string[]> {
  const out: string[] = [];
  for (const principal of principals) {
    if (principal.startsWith('user:') && principal.includes('@')) {
      const email = principal.slice(5).toLowerCase();
      let resolved = cache.get(email);
      if (resolved === undefined) {
        const id = await findUserId(email);
        resolved = id ? `user:${id}` : `user:${email}`;
        cache.set(email, resolved);
      }
      out.push(resolved);
    } else out.push(principal);
  }
  return [...new Set(out)].sort();
}
