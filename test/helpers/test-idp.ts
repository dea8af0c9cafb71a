import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** Claims of a person at the test IdP; the account id is the login typed into its sign-in form. */
export interface TestIdpAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestIdpClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface TestIdp {
  issuer: string;
  /** Add or change accounts at any time; the IdP reads them at each sign-in. */
  accounts: Map<string, TestIdpAccount>;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (oidc-provider, the certified implementation) on a free loopback port, with
 * confidential clients and its development login and consent pages, which tests fill in like a user.
 */
export async function startTestIdp(clients: TestIdpClient[]): Promise<TestIdp> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestIdpAccount>();
  const provider = new Provider(issuer, {
    clients: clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
    })),
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id);
      return account && { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['kura-test-idp-cookie-signing-key'] },
    features: { devInteractions: { enabled: true } },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    accounts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An http://127.0.0.1 URL on a port nobody listens on (connection refused), for unreachable IdPs. */
export async function unreachableIssuer(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
