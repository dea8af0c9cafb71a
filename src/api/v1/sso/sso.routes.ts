import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { KuraConfig } from '../../../platform/config/config.js';
import { toErrorResponse } from '../../../platform/http/error-handler.js';
import { slugSchema } from '../../../tenancy/slug.js';
import { configureSsoInput } from '../../../tenancy/sso/sso-service.js';
import type { Tenancy } from '../../../tenancy/tenancy-module.js';
import { actorOf, SESSION_COOKIE, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema } from '../../schemas.js';

export const CALLBACK_PATH = '/api/v1/auth/sso/callback';
/** Names the pending sign-in; scoped to the callback path, gone after one use or ten minutes. */
export const FLOW_COOKIE = 'kura_sso_flow';

const ssoConfigSchema = z.object({
  tenantId: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  defaultRole: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const companyParams = z.object({ company: slugSchema });
const callbackQuery = z
  .object({
    code: z.string().max(4096),
    state: z.string().max(1024),
    iss: z.string().max(1024),
    error: z.string().max(256),
    error_description: z.string().max(2048),
  })
  .partial();
const redirect = z.null().describe('Redirect (Location header)');

/** The company admin's SSO configuration, and the public browser flow of "Sign in with SSO". */
export function ssoRoutes(app: ZodApp, tenancy: Tenancy, config: KuraConfig): void {
  app.get(
    '/api/v1/sso',
    {
      schema: {
        tags: ['sso'],
        summary: "The caller's company's OpenID Connect configuration (the client secret is never returned)",
        response: { 200: ssoConfigSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => tenancy.sso.get(actorOf(request), tenantOf(request)),
  );
  app.put(
    '/api/v1/sso',
    {
      schema: {
        tags: ['sso'],
        summary:
          'Set or replace the company’s OpenID Connect configuration; the issuer must answer discovery',
        body: configureSsoInput,
        response: { 200: ssoConfigSchema, 400: errorSchema, 403: errorSchema },
      },
    },
    async (request) => tenancy.sso.configure(actorOf(request), tenantOf(request), request.body),
  );
  app.delete(
    '/api/v1/sso',
    {
      schema: {
        tags: ['sso'],
        summary: 'Turn SSO off for the company',
        response: { 204: z.null(), 403: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      await tenancy.sso.remove(actorOf(request), tenantOf(request));
      return reply.status(204).send(null);
    },
  );

  // Fastify prefers this static path over `/:company`, so a company slugged `callback` has no status route.
  app.get(
    CALLBACK_PATH,
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary:
          'Where the IdP returns the browser: sets the session cookie and redirects to /, or to /?sso_error=<code> when sign-in fails',
        querystring: callbackQuery,
        response: { 302: redirect },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      reply.clearCookie(FLOW_COOKIE, { path: CALLBACK_PATH });
      try {
        const signIn = await tenancy.sso.callback(request.cookies[FLOW_COOKIE], request.query);
        reply.setCookie(SESSION_COOKIE, signIn.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: config.cookieSecure,
          expires: signIn.expiresAt,
        });
        return reply.redirect('/', 302);
      } catch (error) {
        // A browser navigation, not an API call: the console reads the stable code and explains it.
        const { status, body } = toErrorResponse(error);
        if (status >= 500) request.log.error({ err: error }, 'SSO callback failed');
        else request.log.warn({ code: body.error.code }, 'SSO sign-in refused');
        return reply.redirect(`/?sso_error=${encodeURIComponent(body.error.code)}`, 302);
      }
    },
  );
  app.get(
    '/api/v1/auth/sso/:company',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Whether the company offers "Sign in with SSO"',
        params: companyParams,
        response: { 200: z.object({ enabled: z.boolean() }) },
      },
    },
    async (request) => tenancy.sso.status(request.params.company),
  );
  app.get(
    '/api/v1/auth/sso/:company/start',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: "Starts SSO sign-in: redirects to the company's identity provider",
        params: companyParams,
        response: { 302: redirect, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const start = await tenancy.sso.start(request.params.company, redirectUri(request, config));
      reply.header('cache-control', 'no-store');
      // Lax, not strict: the IdP's redirect back is a cross-site navigation and must carry this cookie.
      reply.setCookie(FLOW_COOKIE, start.flowId, {
        path: CALLBACK_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure,
        maxAge: start.maxAgeSeconds,
      });
      return reply.redirect(start.url, 302);
    },
  );
}

/** The callback URL to register at the IdP: from KURA_PUBLIC_URL when set (behind a proxy), else this request's origin. */
function redirectUri(request: FastifyRequest, config: KuraConfig): string {
  const base = config.publicUrl
    ? config.publicUrl.replace(/\/+$/, '')
    : `${request.protocol}://${request.host}`;
  return `${base}${CALLBACK_PATH}`;
}
