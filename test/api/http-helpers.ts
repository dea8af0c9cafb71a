import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ZodApp } from '../../src/api/route-types.js';
import { TEST_PASSWORD } from '../helpers/factories.js';

/** A signed-in browser: the session cookie and the CSRF token the sign-in answered with. */
export interface BrowserSession {
  token: string;
  csrfToken: string;
}

export interface SignInOptions {
  password?: string;
  remoteAddress?: string;
}

/** POST /api/v1/auth/login as a browser would. */
export function postLogin(
  app: ZodApp,
  company: string,
  email: string,
  options: SignInOptions = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { company, email, password: options.password ?? TEST_PASSWORD },
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

/** Signs in and returns the session; fails the test when sign-in does not succeed. */
export async function signIn(app: ZodApp, company: string, email: string, options: SignInOptions = {}): Promise<BrowserSession> {
  const response = await postLogin(app, company, email, options);
  expect(response.statusCode, response.body).toBe(200);
  const cookie = response.cookies.find((c) => c.name === 'kura_session');
  expect(cookie).toBeDefined();
  return { token: cookie!.value, csrfToken: response.json<{ csrfToken: string }>().csrfToken };
}

/** Headers of a cookie-authenticated request that carries the right CSRF token. */
export const cookieHeaders = (session: BrowserSession): Record<string, string> => ({
  cookie: `kura_session=${session.token}`,
  'x-csrf-token': session.csrfToken,
});

/** The stable error code of an error answer. */
export const errorCode = (response: LightMyRequestResponse): string | undefined =>
  (response.json() as { error?: { code?: string } }).error?.code;

/** A UUID that names nothing. */
export const randomId = (): string => crypto.randomUUID();
