import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { randomToken, safeEqualHex, sha256Hex } from '../../platform/crypto/tokens.js';
import { UnauthenticatedError } from '../../platform/errors/errors.js';
import type { CredentialCache } from '../credential-cache.js';
import type { CompanyRepository } from '../companies/company-repository.js';
import { verifyPassword } from '../users/passwords.js';
import type { UserRepository } from '../users/user-repository.js';
import type { LoginThrottle } from './login-throttle.js';
import type { SessionRepository, StoredSession } from './session-repository.js';
import { slugSchema } from '../slug.js';

export const loginInput = z.object({
  /** Typed by people at sign-in: surrounding spaces and capitals are forgiven, as for the e-mail address. */
  company: z.string().trim().toLowerCase().pipe(slugSchema),
  email: z.string().trim().toLowerCase().min(3).max(320),
  password: z.string().min(1).max(200),
});

export interface IssuedSession {
  /** The cookie value: `<company id>.<session id>.<secret>`; only the secret's hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly companies: CompanyRepository,
    private readonly throttle: LoginThrottle,
    private readonly cache: CredentialCache,
    private readonly ttlMs: number,
  ) {}

  /** Password sign-in. Every failure looks the same to the caller: no hint which part was wrong. */
  async login(
    input: z.infer<typeof loginInput>,
    clientIp: string,
  ): Promise<IssuedSession & { userId: string; tenantId: string }> {
    const attempt = { account: `${input.company}:${input.email}`, address: clientIp };
    this.throttle.assertAllowed(attempt);
    const company = await this.companies.findBySlug(input.company);
    const user = company ? await this.users.findByEmailWithSecret(company.id, input.email) : undefined;
    const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!company || !user || !ok || user.disabled) {
      this.throttle.recordFailure(attempt);
      throw new UnauthenticatedError('Company, e-mail or password is wrong.', 'invalid_credentials');
    }
    this.throttle.recordSuccess(attempt);
    await this.users.touchLogin(company.id, user.id);
    const session = await this.issue(company.id, user.id);
    return { ...session, userId: user.id, tenantId: company.id };
  }

  /** Starts a session for a user already proven (password or SSO). */
  async issue(tenantId: string, userId: string): Promise<IssuedSession> {
    const id = randomUUID();
    const secret = randomToken(32);
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.sessions.insert(tenantId, { id, userId, secretHash: sha256Hex(secret), csrfToken, expiresAt });
    return { token: `${tenantId}.${id}.${secret}`, csrfToken, expiresAt };
  }

  /** The live session a cookie names, or undefined when it is unknown, forged, expired or its user disabled. */
  async resolve(token: string): Promise<StoredSession | undefined> {
    const parsed = parseSessionToken(token);
    if (!parsed) return undefined;
    const session = await this.sessions.find(parsed.tenantId, parsed.id);
    if (!session || !safeEqualHex(session.secretHash, sha256Hex(parsed.secret))) return undefined;
    if (session.expiresAt.getTime() <= Date.now() || session.userDisabled) return undefined;
    return session;
  }

  async logout(token: string): Promise<void> {
    const session = await this.resolve(token);
    if (!session) return;
    await this.sessions.delete(session.tenantId, session.id);
    this.cache.evict(session.id);
  }
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SESSION_TOKEN = new RegExp(`^(${UUID})\\.(${UUID})\\.([A-Za-z0-9_-]{43})$`);

/** Splits a session cookie into its parts; anything not shaped exactly like an issued token is refused. */
export function parseSessionToken(
  token: string,
): { tenantId: string; id: string; secret: string } | undefined {
  const match = SESSION_TOKEN.exec(token);
  return match ? { tenantId: match[1]!, id: match[2]!, secret: match[3]! } : undefined;
}
