/** How the first one comes to be: a fresh data directory has none until `npm start` seeds the demo. */
const CREATE = {
  companies: '`kura tenant create <slug> --name <name>` creates one (`npm start` creates the demo group’s)',
  groups: '`kura group create <slug> --name <name>` creates one (`npm start` creates the demo group)',
} as const;

/** How many slugs a "not found" names before it points at the list command instead. */
const NAMED = 10;

/**
 * What the operator is told when a slug names nothing: the slugs there are (the demo's companies
 * are sora-hd, sora-mobile and sora-pay, not "demo"). Only for the operator's commands: to
 * anyone else, that other companies exist is not to be revealed.
 */
export function slugHint(
  kind: 'companies' | 'groups',
  slugs: readonly string[],
  listCommand: string,
): string {
  if (slugs.length === 0) return `There are no ${kind} yet: ${CREATE[kind]}.`;
  const sorted = [...slugs].sort();
  const named = sorted.slice(0, NAMED).join(', ');
  const more = sorted.length > NAMED ? `, … (${sorted.length} in all: ${listCommand})` : '';
  return `The ${kind} here: ${named}${more}.`;
}
