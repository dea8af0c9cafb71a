import * as oidc from 'openid-client';
import { sha256Hex } from '../../platform/crypto/tokens.js';
import { InvalidRequestError, UnauthenticatedError } from '../../platform/errors/errors.js';
import type { PendingFlow } from './sso-flow-store.js';

export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** Who the IdP says signed in, after the ID token passed every check. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

/** What the IdP appended to the redirect URI. */
export interface CallbackParams {
  code?: string | undefined;
  state?: string | undefined;
  iss?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Plain-HTTP issuers are accepted on the loopback interface only (an IdP on the same machine, tests):
 * anywhere else the code, tokens and client secret would cross the network in clear.
 */
export const isAcceptableIssuerUrl = (url: URL): boolean =>
  url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));

/**
 * Kura's side of OpenID Connect, the only code that talks to identity providers (through openid-client):
 * discovery, the authorization request (code flow with PKCE, state and nonce) and the code exchange
 * with full ID token validation. Discovered metadata is cached per client for a while; a changed
 * issuer, client id or secret is a different cache entry.
 */
export class OidcRelyingParty {
  private readonly configs = new Map<string, { config: oidc.Configuration; expiresAt: number }>();

  constructor(
    private readonly options: { metadataTtlMs: number; timeoutSeconds: number } = {
      metadataTtlMs: 15 * 60_000,
      timeoutSeconds: 10,
    },
  ) {}

  /** Discovers the issuer (uncached) and returns its identifier exactly as the IdP states it. */
  async validateIssuer(settings: OidcClientSettings): Promise<string> {
    const config = await this.discover(settings);
    this.remember(settings, config);
    return config.serverMetadata().issuer;
  }

  /** Where to send the browser, and the one-time values the callback must match. */
  async authorizationRequest(
    settings: OidcClientSettings,
    redirectUri: string,
  ): Promise<{ url: string; checks: Pick<PendingFlow, 'state' | 'nonce' | 'codeVerifier'> }> {
    const config = await this.configuration(settings);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid email profile',
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, checks };
  }

  /**
   * Exchanges the code and validates the ID token: signature (the IdP's JWKS), issuer, audience,
   * expiry, nonce; the state and PKCE verifier tie the response to this flow. E-mail and name come
   * from the ID token, or from the UserInfo endpoint when the IdP keeps them there.
   */
  async exchange(
    settings: OidcClientSettings,
    flow: PendingFlow,
    params: CallbackParams,
  ): Promise<OidcIdentity> {
    const config = await this.configuration(settings);
    const currentUrl = new URL(flow.redirectUri);
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) currentUrl.searchParams.set(key, value);
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        pkceCodeVerifier: flow.codeVerifier,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims)
        throw new UnauthenticatedError('The identity provider returned no ID token.', 'sso_id_token_invalid');
      let profile: Record<string, unknown> = claims;
      if (typeof claims.email !== 'string' && config.serverMetadata().userinfo_endpoint) {
        profile = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
      }
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof profile.email === 'string' ? profile.email : undefined,
        emailVerified: profile.email_verified === true,
        name: displayName(profile),
      };
    } catch (error) {
      throw exchangeError(error);
    }
  }

  private async configuration(settings: OidcClientSettings): Promise<oidc.Configuration> {
    const key = cacheKey(settings);
    const cached = this.configs.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.config;
    const config = await this.discover(settings);
    this.remember(settings, config);
    return config;
  }

  private remember(settings: OidcClientSettings, config: oidc.Configuration): void {
    const now = Date.now();
    // Replaced secrets and removed configurations leave stale entries behind: drop them as we go.
    for (const [key, entry] of this.configs) if (entry.expiresAt <= now) this.configs.delete(key);
    this.configs.set(cacheKey(settings), { config, expiresAt: now + this.options.metadataTtlMs });
  }

  private async discover(settings: OidcClientSettings): Promise<oidc.Configuration> {
    const url = new URL(settings.issuer);
    const insecure = url.protocol === 'http:' && isAcceptableIssuerUrl(url);
    const execute = insecure ? [oidc.allowInsecureRequests] : [];
    let discovered: oidc.Configuration;
    try {
      discovered = await oidc.discovery(url, settings.clientId, undefined, undefined, {
        execute,
        timeout: this.options.timeoutSeconds,
      });
    } catch (error) {
      throw new InvalidRequestError(
        `OpenID discovery at ${settings.issuer} failed: ${describe(error)}. Check the issuer URL and that Kura can reach it.`,
        'sso_discovery_failed',
      );
    }
    const metadata = discovered.serverMetadata();
    const config = new oidc.Configuration(
      metadata,
      settings.clientId,
      settings.clientSecret,
      clientAuth(metadata, settings),
    );
    for (const extension of execute) extension(config);
    config.timeout = this.options.timeoutSeconds;
    oidc.enableNonRepudiationChecks(config);
    return config;
  }
}

/** The IdP's preferred way to receive the client secret: HTTP Basic (the OpenID default) or the form body. */
function clientAuth(metadata: oidc.ServerMetadata, settings: OidcClientSettings): oidc.ClientAuth {
  const supported = metadata.token_endpoint_auth_methods_supported;
  if (!supported || supported.includes('client_secret_basic'))
    return oidc.ClientSecretBasic(settings.clientSecret);
  if (supported.includes('client_secret_post')) return oidc.ClientSecretPost(settings.clientSecret);
  throw new InvalidRequestError(
    'The identity provider accepts neither client_secret_basic nor client_secret_post at its token endpoint.',
    'sso_discovery_failed',
  );
}

const cacheKey = (settings: OidcClientSettings): string =>
  sha256Hex(JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]));

function displayName(profile: Record<string, unknown>): string | undefined {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const given = [text(profile.given_name), text(profile.family_name)].filter(Boolean).join(' ');
  return text(profile.name) ?? (given || undefined) ?? text(profile.preferred_username);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** What went wrong at the IdP, as a stable code the console can explain. Never includes the secret. */
function exchangeError(error: unknown): unknown {
  if (error instanceof UnauthenticatedError) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    return new UnauthenticatedError(
      `The identity provider refused the sign-in (${error.error}).`,
      'sso_idp_error',
    );
  }
  const oauthError =
    error instanceof oidc.ResponseBodyError
      ? error.error
      : error instanceof oidc.WWWAuthenticateChallengeError
        ? error.cause[0]?.parameters.error
        : undefined;
  if (oauthError === 'invalid_client') {
    return new UnauthenticatedError(
      'The identity provider rejected Kura’s client ID or client secret: an administrator must correct the SSO configuration.',
      'sso_invalid_client',
    );
  }
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.WWWAuthenticateChallengeError) {
    return new UnauthenticatedError(
      `The identity provider refused the code exchange (${oauthError ?? 'error'}).`,
      'sso_token_exchange_failed',
    );
  }
  if (error instanceof oidc.ClientError) {
    return new UnauthenticatedError(
      `The identity provider’s response failed validation: ${error.message}.`,
      'sso_id_token_invalid',
    );
  }
  if (isNetworkFailure(error)) {
    return new UnauthenticatedError('The identity provider could not be reached.', 'sso_idp_unreachable');
  }
  return error;
}

/** fetch() rejects with `TypeError: fetch failed` when the connection fails, and a TimeoutError when it hangs. */
const isNetworkFailure = (error: unknown): boolean =>
  (error instanceof TypeError && error.message === 'fetch failed') ||
  (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
