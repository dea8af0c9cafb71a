import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { initialisedDataDir } from '../helpers/data-dir.js';
import { startTestIdp, unreachableIssuer, type TestIdp } from '../helpers/test-idp.js';

describe('kura tenant set-sso', () => {
  let dataDir: string;
  const kura = (args: string[], stdin = '') => runCli(['--data-dir', dataDir, ...args], {}, stdin);
  let idp: TestIdp;

  beforeAll(async () => {
    dataDir = await initialisedDataDir('kura-cli-sso-');
    idp = await startTestIdp([
      { clientId: 'kura', clientSecret: 'cli-secret-0123456789', redirectUris: ['http://127.0.0.1:8080/x'] },
    ]);
    expect((await kura(['tenant', 'create', 'acme', '--name', 'Acme'])).code).toBe(0);
  });
  afterAll(() => idp?.close());

  it('sets SSO with the secret from stdin and prints the redirect URI to register', async () => {
    const set = await kura(
      [
        'tenant',
        'set-sso',
        'acme',
        '--issuer',
        idp.issuer,
        '--client-id',
        'kura',
        '--client-secret-stdin',
        '--default-role',
        'viewer',
      ],
      'cli-secret-0123456789\n',
    );
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toContain(`SSO set for acme: issuer=${idp.issuer} client=kura default-role=viewer`);
    expect(set.stdout).toContain(
      'redirect URI at the identity provider: http://127.0.0.1:8080/api/v1/auth/sso/callback',
    );
    expect(set.stdout).not.toContain('cli-secret');

    // Without --client-secret-stdin the stored secret is kept (same issuer and client).
    const again = await kura(['tenant', 'set-sso', 'acme', '--issuer', idp.issuer, '--client-id', 'kura']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('default-role=member');
  });

  it('answers an unreachable issuer, a missing secret or an unknown company with one line and exit 1', async () => {
    const nowhere = await unreachableIssuer();
    const unreachable = await kura(
      ['tenant', 'set-sso', 'acme', '--issuer', nowhere, '--client-id', 'k', '--client-secret-stdin'],
      's',
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      new RegExp(`^kura: OpenID discovery at ${nowhere} failed: .*ECONNREFUSED`),
    );
    expect(unreachable.stderr.split('\n')).toHaveLength(1);

    const noSecret = await kura([
      'tenant',
      'set-sso',
      'acme',
      '--issuer',
      idp.issuer,
      '--client-id',
      'another-client',
    ]);
    expect(noSecret).toMatchObject({ code: 1 });
    expect(noSecret.stderr).toMatch(/clientSecret is required/);

    const nobody = await kura(
      ['tenant', 'set-sso', 'nobody', '--issuer', idp.issuer, '--client-id', 'kura', '--client-secret-stdin'],
      's',
    );
    expect(nobody).toMatchObject({
      code: 1,
      stderr: 'kura: Company "nobody" not found. The companies here: acme.',
    });

    expect(
      (
        await kura([
          'tenant',
          'set-sso',
          'acme',
          '--issuer',
          idp.issuer,
          '--client-id',
          'k',
          '--default-role',
          'owner',
        ])
      ).code,
    ).toBe(2);
  });
});
