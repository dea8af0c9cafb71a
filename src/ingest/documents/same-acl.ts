/**
 * Two ACLs name the same principals, in any order: a document whose content and ACL are both
 * unchanged needs no write (the syncs' and IngestService's "unchanged" checks).
 */
export const sameAcl = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
