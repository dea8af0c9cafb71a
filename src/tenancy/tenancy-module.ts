import type { Database } from '../platform/db/database.js';
import type { SecretSealer } from '../platform/crypto/secret-sealer.js';
import { ApiKeyRepository } from './api-keys/api-key-repository.js';
import { ApiKeyService } from './api-keys/api-key-service.js';
import { Authenticator } from './authenticator.js';
import { CompanyRepository, type Company } from './companies/company-repository.js';
import { CompanyService } from './companies/company-service.js';
import { CredentialCache } from './credential-cache.js';
import { GroupRepository } from './groups/group-repository.js';
import { GroupService } from './groups/group-service.js';
import { LoginThrottle } from './sessions/login-throttle.js';
import { SessionRepository } from './sessions/session-repository.js';
import { SessionService } from './sessions/session-service.js';
import { OidcRelyingParty } from './sso/oidc-relying-party.js';
import { SsoConfigRepository } from './sso/sso-config-repository.js';
import { SsoFlowStore } from './sso/sso-flow-store.js';
import { SsoIdentityRepository } from './sso/sso-identity-repository.js';
import { SsoService } from './sso/sso-service.js';
import { UserRepository } from './users/user-repository.js';
import { UserService } from './users/user-service.js';

export interface TenancyOptions {
  sessionTtlMs: number;
  login: { maxFailures: number; lockoutMs: number };
  credentialCacheMs?: number;
  /** Seals the SSO client secret with the company's key (without it, storing one is refused). */
  keyring?: SecretSealer | undefined;
  /** Runs after a company is created: governance applies its sector's residency preset here. */
  onCompanyCreated?: ((company: Company) => Promise<unknown>) | undefined;
  /** Runs after a company's rows are purged: governance crypto-shreds it here. */
  onCompanyRemoved?: ((company: Company) => Promise<unknown>) | undefined;
}

/** Wires the tenancy repositories and services over one database: the composition root's tenancy half. */
export function createTenancy(db: Database, options: TenancyOptions) {
  const cache = new CredentialCache(options.credentialCacheMs ?? 1_000);
  const repos = {
    groups: new GroupRepository(db),
    companies: new CompanyRepository(db),
    users: new UserRepository(db),
    apiKeys: new ApiKeyRepository(db),
    sessions: new SessionRepository(db),
    ssoConfigs: new SsoConfigRepository(db, options.keyring),
    ssoIdentities: new SsoIdentityRepository(db),
  };
  const throttle = new LoginThrottle(options.login.maxFailures, options.login.lockoutMs);
  const sessions = new SessionService(
    repos.sessions,
    repos.users,
    repos.companies,
    throttle,
    cache,
    options.sessionTtlMs,
  );
  return {
    repos,
    cache,
    groups: new GroupService(repos.groups),
    companies: new CompanyService(
      repos.companies,
      repos.groups,
      cache,
      options.onCompanyCreated,
      options.onCompanyRemoved,
    ),
    users: new UserService(repos.users, cache),
    apiKeys: new ApiKeyService(repos.apiKeys, cache),
    sessions,
    sso: new SsoService(
      repos.ssoConfigs,
      repos.ssoIdentities,
      repos.users,
      repos.companies,
      sessions,
      new OidcRelyingParty(),
      new SsoFlowStore(),
    ),
    authenticator: new Authenticator(repos.apiKeys, repos.companies, repos.groups, sessions, cache),
  };
}

export type Tenancy = ReturnType<typeof createTenancy>;
