import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ZodApp } from '../../src/api/route-types.js';
import type { UserRole } from '../../src/tenancy/roles.js';
import type { Tenancy } from '../../src/tenancy/tenancy-module.js';
import type { User } from '../../src/tenancy/users/user-repository.js';
import { hashPassword } from '../../src/tenancy/users/passwords.js';
import { TEST_PASSWORD } from '../helpers/factories.js';

let testPasswordHash: Promise<string> | undefined;

/**
 * A user with TEST_PASSWORD, stored through the real repository. Like factories' createUser, but
 * the argon2 hash is computed once per file instead of once per user: these suites create many.
 */
export async function seedUser(tenancy: Tenancy, tenantId: string, role: UserRole = 'member'): Promise<User> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.com`;
  return tenancy.repos.users.insert(tenantId, {
    id: randomUUID(),
    email,
    name: email.split('@')[0]!,
    role,
    passwordHash: await (testPasswordHash ??= hashPassword(TEST_PASSWORD)),
  });
}

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
export async function signIn(
  app: ZodApp,
  company: string,
  email: string,
  options: SignInOptions = {},
): Promise<BrowserSession> {
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

/** Every route the application registered, as "METHOD /path", read from Fastify's route tree. */
export function registeredRoutes(app: ZodApp): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (depth > 0 ? stack[depth - 1]! : '') + match[2]!;
    stack.length = depth;
    stack[depth] = path;
    for (const method of match[3]?.split(', ') ?? []) routes.push(`${method} ${path}`);
  }
  return routes;
}
