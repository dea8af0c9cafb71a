import type { Role } from './roles.js';

/**
 * Who is calling, resolved once per request by the authenticator. Services take it as their first
 * argument (the tenant context): `tenantId` scopes every repository call.
 */
export interface Actor {
  kind: 'user' | 'api_key' | 'operator';
  /** The user's or key's id; empty for the operator. */
  id: string;
  role: Role;
  /** The caller's company; null only for the operator. */
  tenantId: string | null;
  /** The group of the caller's company, when it belongs to one. */
  groupId: string | null;
  /** Set for cookie sessions: state-changing requests must echo it. */
  session?: { id: string; csrfToken: string };
  /** What the authenticator read while verifying the credential, cached with it (up to a second old). */
  profile?: ActorProfile;
}

export interface ActorProfile {
  company: { id: string; slug: string; name: string; region: string; sector: string };
  group: { id: string; slug: string; name: string } | null;
  user: { email: string; name: string } | null;
}

/** The local command line: trusted by whoever can run it on the server's machine. */
export const OPERATOR: Actor = { kind: 'operator', id: '', role: 'operator', tenantId: null, groupId: null };
