import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../platform/errors/errors.js';
import type { Actor } from '../tenancy/actor.js';
import type { Authenticator } from '../tenancy/authenticator.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** `public` routes skip authentication; every other route requires a caller. */
    auth?: 'public' | 'required';
  }
}

export const SESSION_COOKIE = 'kura_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs before every route: a bearer API key or the session cookie becomes `request.actor`. Cookie
 * requests that change state must carry the session's CSRF token in `X-CSRF-Token`.
 */
export function authenticateHook(authenticator: Authenticator) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    // Unknown routes answer 404 to everyone, with or without credentials (and whether or not the
    // console's catch-all route is there to answer GETs).
    if (request.routeOptions.config.auth === 'public' || request.is404) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new UnauthenticatedError('Use "Authorization: Bearer <API key>".', 'invalid_api_key');
      request.actor = await authenticator.fromApiKey(match[1]!);
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    const actor = cookie ? await authenticator.fromSession(cookie) : undefined;
    if (!actor)
      throw new UnauthenticatedError(
        cookie ? 'Your session has expired. Sign in again.' : undefined,
        cookie ? 'session_expired' : 'unauthenticated',
      );
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== actor.session?.csrfToken) {
      throw new ForbiddenError('Missing or wrong CSRF token.', 'csrf_failed');
    }
    request.actor = actor;
  };
}

/** The authenticated caller; routes marked public never call this. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthenticatedError();
  return request.actor;
}

/** The caller's own company: company-scoped resources (users, keys) live there. */
export function tenantOf(request: FastifyRequest): string {
  const tenantId = actorOf(request).tenantId;
  if (!tenantId) throw new UnauthenticatedError();
  return tenantId;
}
