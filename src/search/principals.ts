import type { Actor } from '../tenancy/actor.js';

/**
 * The ACL entries a caller holds (documents.acl / chunks.acl: 'everyone', 'user:<id>',
 * 'group:<name>'); a chunk is visible when its acl shares one of them.
 *
 * - A user holds 'everyone' and 'user:<id>' (their company groups join when groups exist). The
 *   role does not widen it: a company admin sees the documents the admin may see, not all of them.
 * - An API key is not a person: it holds only 'everyone', whatever its role, so a key never reads
 *   a document restricted to named people or groups.
 * - The local operator (CLI on the server's machine, who could read the data directory anyway)
 *   is not filtered: null.
 */
export function principalsOf(actor: Actor): string[] | null {
  switch (actor.kind) {
    case 'operator':
      return null;
    case 'api_key':
      return ['everyone'];
    case 'user':
      return ['everyone', `user:${actor.id}`];
  }
}
