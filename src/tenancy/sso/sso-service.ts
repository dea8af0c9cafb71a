import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  UnauthenticatedError,
} from '../../platform/errors/errors.js';
import type { Actor } from '../actor.js';
import type { CompanyRepository } from '../companies/company-repository.js';
import { authorizeOn, type Action } from '../policies.js';
import { COMPANY_ROLES } from '../roles.js';
import type { IssuedSession, SessionService } from '../sessions/session-service.js';
import type { UserRepository } from '../users/user-repository.js';
import { emailSchema } from '../users/user-service.js';
import {
  isAcceptableIssuerUrl,
  type CallbackParams,
  type OidcIdentity,
  type OidcRelyingParty,
} from './oidc-relying-party.js';
import {
  withoutSecret,
  type SsoConfig,
  type SsoConfigRepository,
  type SsoConfigWithSecret,
} from './sso-config-repository.js';
import type { SsoFlowStore } from './sso-flow-store.js';
import type { SsoIdentityRepository } from './sso-identity-repository.js';

export const configureSsoInput = z.object({
  issuer: z
    .url()
    .max(500)
    .refine(
      (value) => isAcceptableIssuerUrl(new URL(value)),
      'issuer must be an https URL (plain http only on localhost)',
    ),
  clientId: z.string().trim().min(1).max(500),
  /** May be omitted to keep the stored secret, as long as issuer and client id stay the same. */
  clientSecret: z.string().min(1).max(2000).optional(),
  defaultRole: z.enum(COMPANY_ROLES).default('member'),
});

export interface SsoStart {
  /** The IdP's authorization URL to redirect the browser to. */
  url: string;
  /** Names the pending flow; the browser carries it in a cookie back to the callback. */
  flowId: string;
  maxAgeSeconds: number;
}

export interface SsoSignIn extends IssuedSession {
  tenantId: string;
  userId: string;
}

/**
 * OpenID Connect sign-in per company: the company admin's configuration, and the browser flow from
 * "Sign in with SSO" to a Kura session. The company is fixed when the flow starts and travels only in
 * the server-side flow, so a callback cannot open a session in any other company.
 */
export class SsoService {
  constructor(
    private readonly configs: SsoConfigRepository,
    private readonly identities: SsoIdentityRepository,
    private readonly users: UserRepository,
    private readonly companies: CompanyRepository,
    private readonly sessions: SessionService,
    private readonly relyingParty: OidcRelyingParty,
    private readonly flows: SsoFlowStore,
  ) {}

  /** Sets or replaces the company's SSO; the issuer must answer OpenID discovery before anything is stored. */
  async configure(
    actor: Actor,
    tenantId: string,
    input: z.input<typeof configureSsoInput>,
  ): Promise<SsoConfig> {
    const parsed = configureSsoInput.parse(input);
    this.check(actor, 'sso.update', tenantId);
    const current = await this.configs.find(tenantId);
    const clientSecret = parsed.clientSecret ?? keptSecret(current, parsed.issuer, parsed.clientId);
    const issuer = await this.relyingParty.validateIssuer({
      issuer: parsed.issuer,
      clientId: parsed.clientId,
      clientSecret,
    });
    return this.configs.upsert(tenantId, {
      issuer,
      clientId: parsed.clientId,
      clientSecret,
      defaultRole: parsed.defaultRole,
    });
  }

  /** The configuration without its secret. */
  async get(actor: Actor, tenantId: string): Promise<SsoConfig> {
    this.check(actor, 'sso.read', tenantId);
    const config = await this.configs.find(tenantId);
    if (!config) throw new NotFoundError('SSO configuration');
    return withoutSecret(config);
  }

  async remove(actor: Actor, tenantId: string): Promise<void> {
    this.check(actor, 'sso.update', tenantId);
    if (!(await this.configs.delete(tenantId))) throw new NotFoundError('SSO configuration');
  }

  /** Public: whether the sign-in page should offer SSO. An unknown company answers the same as one without SSO. */
  async status(companySlug: string): Promise<{ enabled: boolean }> {
    return { enabled: (await this.configFor(companySlug)) !== undefined };
  }

  /** Public: begins the authorization code flow (PKCE, state, nonce) for the company. */
  async start(companySlug: string, redirectUri: string): Promise<SsoStart> {
    const config = await this.configFor(companySlug);
    if (!config) throw new NotFoundError('SSO for this company');
    const { url, checks } = await this.relyingParty.authorizationRequest(config, redirectUri);
    const flowId = this.flows.put({
      tenantId: config.tenantId,
      issuer: config.issuer,
      clientId: config.clientId,
      redirectUri,
      ...checks,
    });
    return { url, flowId, maxAgeSeconds: Math.floor(this.flows.ttlMs / 1000) };
  }

  /** Public: completes the flow the browser's cookie names, then signs the user in to that flow's company. */
  async callback(flowId: string | undefined, params: CallbackParams): Promise<SsoSignIn> {
    const flow = flowId ? this.flows.take(flowId) : undefined;
    if (!flow) {
      throw new UnauthenticatedError(
        'This sign-in expired or was started in another browser. Start again.',
        'sso_state_invalid',
      );
    }
    if (params.state !== flow.state) {
      throw new UnauthenticatedError(
        'The sign-in response does not belong to this sign-in. Start again.',
        'sso_state_invalid',
      );
    }
    const config = await this.configs.find(flow.tenantId);
    if (!config || config.issuer !== flow.issuer || config.clientId !== flow.clientId) {
      throw new UnauthenticatedError(
        'The company’s SSO settings changed during sign-in. Start again.',
        'sso_config_changed',
      );
    }
    const identity = await this.relyingParty.exchange(config, flow, params);
    const userId = await this.resolveUser(config, identity);
    await this.users.touchLogin(flow.tenantId, userId);
    const session = await this.sessions.issue(flow.tenantId, userId);
    return { ...session, tenantId: flow.tenantId, userId };
  }

  /**
   * The user this identity signs in as: the one already holding it; else an existing user with the same
   * e-mail, linked only when the IdP vouches for the address; else a new user with the default role.
   */
  private async resolveUser(config: SsoConfigWithSecret, identity: OidcIdentity): Promise<string> {
    const tenantId = config.tenantId;
    const known = await this.users.findByOidcSubject(tenantId, identity.issuer, identity.subject);
    if (known) return assertEnabled(known).id;

    const email = emailSchema.safeParse(identity.email ?? '');
    if (!email.success) {
      throw new UnauthenticatedError(
        'The identity provider sent no usable e-mail address, which Kura needs for your account. Ask your administrator to release the email claim.',
        'sso_email_missing',
      );
    }
    const existing = await this.users.findByEmailWithSecret(tenantId, email.data);
    if (existing) {
      assertEnabled(existing);
      if (!identity.emailVerified) {
        throw new ForbiddenError(
          'A Kura account with this e-mail address already exists, and the identity provider does not confirm the address as verified, so it cannot be linked. Ask your administrator.',
          'sso_email_unverified',
        );
      }
      if (!(await this.identities.link(tenantId, existing.id, identity.issuer, identity.subject))) {
        throw new ConflictError(
          'The Kura account with this e-mail address is already linked to another account of this identity provider.',
          'sso_identity_conflict',
        );
      }
      return existing.id;
    }
    return this.provision(config, identity, email.data);
  }

  /** Just-in-time provisioning: the first sign-in creates the user with the company's default role. */
  private async provision(
    config: SsoConfigWithSecret,
    identity: OidcIdentity,
    email: string,
  ): Promise<string> {
    const oidc = { issuer: identity.issuer, subject: identity.subject };
    try {
      const user = await this.users.insert(config.tenantId, {
        id: randomUUID(),
        email,
        name: identity.name?.slice(0, 200) ?? email.split('@')[0]!,
        role: config.defaultRole,
        passwordHash: null,
        oidc,
      });
      return user.id;
    } catch (error) {
      // Two first sign-ins at once: the other one created the user, which is just as good.
      const winner = await this.users.findByOidcSubject(config.tenantId, oidc.issuer, oidc.subject);
      if (winner) return assertEnabled(winner).id;
      throw error;
    }
  }

  private async configFor(companySlug: string): Promise<SsoConfigWithSecret | undefined> {
    const company = await this.companies.findBySlug(companySlug);
    return company ? this.configs.find(company.id) : undefined;
  }

  private check(actor: Actor, action: Action, tenantId: string): void {
    authorizeOn(actor, action, { tenantId, groupId: null }, 'SSO configuration');
  }
}

function assertEnabled<U extends { id: string; disabled: boolean }>(user: U): U {
  if (user.disabled)
    throw new ForbiddenError('Your account in this company is disabled.', 'sso_user_disabled');
  return user;
}

/** A stored secret belongs to one client of one issuer; changing either needs the new client's secret. */
function keptSecret(current: SsoConfigWithSecret | undefined, issuer: string, clientId: string): string {
  if (current && current.clientId === clientId && new URL(current.issuer).href === new URL(issuer).href) {
    return current.clientSecret;
  }
  throw new InvalidRequestError(
    'clientSecret is required when SSO is first configured or its issuer or client ID changes.',
    'sso_client_secret_required',
  );
}
