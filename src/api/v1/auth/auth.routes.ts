import { z } from 'zod';
import type { KuraConfig } from '../../../platform/config/config.js';
import type { Tenancy } from '../../../tenancy/tenancy-module.js';
import { loginInput } from '../../../tenancy/sessions/session-service.js';
import { SESSION_COOKIE } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema } from '../../schemas.js';

export function authRoutes(app: ZodApp, tenancy: Tenancy, config: KuraConfig): void {
  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with company, e-mail and password; sets the session cookie',
        body: loginInput,
        response: {
          200: z.object({ csrfToken: z.string(), expiresAt: z.string() }),
          401: errorSchema,
          429: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const session = await tenancy.sessions.login(request.body, request.ip);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: config.cookieSecure,
        expires: session.expiresAt,
      });
      return { csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { auth: 'public' },
      schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await tenancy.sessions.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
}
