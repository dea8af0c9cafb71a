import { Option, type Command } from 'commander';
import { COMPANY_ROLES, SECTORS, USER_ROLES } from '../../tenancy/roles.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';
import type { ListedCompany, OperationName } from '../operations.js';
import type { Group } from '../../tenancy/groups/group-repository.js';
import type { Company } from '../../tenancy/companies/company-repository.js';
import type { CreatedUser } from '../../tenancy/users/user-service.js';
import type { ApiKey } from '../../tenancy/api-keys/api-key-repository.js';
import type { SsoConfig } from '../../tenancy/sso/sso-config-repository.js';
import { describePolicy, type ResidencyPolicy } from '../../governance/residency/residency-policy.js';

interface SetSsoOptions {
  issuer: string;
  clientId: string;
  clientSecretStdin?: boolean;
  defaultRole: string;
}

/** group / tenant (create, list) and user / apikey create: the operator's commands, each one named operation. */
export function registerAdminCommands(program: Command, ctx: CliContext): void {
  const run = async <T>(name: OperationName, args: unknown): Promise<T> => {
    const config = ctx.config();
    return (await executeOperation(config, ctx.logger(), name, args)) as T;
  };

  const group = program.command('group').description('holding companies');
  group
    .command('create <slug>')
    .description('create a group (holding company)')
    .requiredOption('--name <name>', 'display name, e.g. ソラグループ')
    .action(async (slug: string, opts: { name: string }) => {
      const created = await run<Group>('group.create', { slug, name: opts.name });
      ctx.io.out(`created group ${created.slug} (${created.id})`);
    });
  group
    .command('list')
    .description('list the groups')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const groups = await run<Group[]>('group.list', {});
      if (opts.json) return ctx.io.out(JSON.stringify(groups, null, 2));
      if (groups.length === 0) return ctx.io.out('no groups (kura group create)');
      for (const g of groups) ctx.io.out(`${g.slug}  ${g.name}  (${g.id})`);
    });

  const tenant = program.command('tenant').description('companies (tenants): the isolation boundary');
  tenant
    .command('list')
    .description('list the companies, with their group, region and sector')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const companies = await run<ListedCompany[]>('tenant.list', {});
      if (opts.json) return ctx.io.out(JSON.stringify(companies, null, 2));
      if (companies.length === 0) return ctx.io.out('no companies (kura tenant create)');
      for (const c of companies)
        ctx.io.out(`${c.slug}  ${c.name}  [group ${c.group ?? '—'}, ${c.region}, ${c.sector}]  (${c.id})`);
    });
  tenant
    .command('create <slug>')
    .description('create a company')
    .requiredOption('--name <name>', 'display name, e.g. ソラペイ株式会社')
    .option('--group <group>', 'slug of the group the company belongs to')
    .option('--region <region>', 'where its data stays: jp-east, jp-west, on-prem, …', 'jp-east')
    .addOption(new Option('--sector <sector>', 'policy preset').choices(SECTORS).default('general'))
    .action(async (slug: string, opts: { name: string; group?: string; region: string; sector: string }) => {
      const company = await run<Company & { policy: ResidencyPolicy }>('tenant.create', { slug, ...opts });
      ctx.io.out(
        `created company ${company.slug} (${company.id}) region=${company.region} sector=${company.sector}`,
      );
      ctx.io.out(`residency policy (${company.sector} preset): ${describePolicy(company.policy)}`);
    });

  tenant
    .command('set-sso <slug>')
    .description("set the company's OpenID Connect sign-in (checks the issuer by discovery)")
    .requiredOption('--issuer <url>', 'issuer URL, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0')
    .requiredOption('--client-id <id>', 'client (application) ID registered at the identity provider')
    .option('--client-secret-stdin', 'read the client secret from standard input (omit: keep the stored one)')
    .addOption(
      new Option('--default-role <role>', 'role of users created at their first sign-in')
        .choices(COMPANY_ROLES)
        .default('member'),
    )
    .action(async (slug: string, opts: SetSsoOptions) => {
      const secret = opts.clientSecretStdin ? (await ctx.io.readStdin()).trim() : undefined;
      const sso = await run<SsoConfig>('tenant.set-sso', {
        tenant: slug,
        issuer: opts.issuer,
        clientId: opts.clientId,
        defaultRole: opts.defaultRole,
        ...(secret !== undefined ? { clientSecret: secret } : {}),
      });
      const config = ctx.config();
      const base = config.publicUrl?.replace(/\/+$/, '') ?? `http://${config.host}:${config.port}`;
      ctx.io.out(
        `SSO set for ${slug}: issuer=${sso.issuer} client=${sso.clientId} default-role=${sso.defaultRole}`,
      );
      ctx.io.out(`register this redirect URI at the identity provider: ${base}/api/v1/auth/sso/callback`);
    });

  program
    .command('user')
    .description('people of a company')
    .command('create')
    .description('create a user; prints a generated password unless --password-stdin is given')
    .requiredOption('--tenant <tenant>', 'company slug')
    .requiredOption('--email <email>', 'e-mail address (the sign-in name)')
    .addOption(new Option('--role <role>', 'role').choices(USER_ROLES).makeOptionMandatory())
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .action(
      async (opts: {
        tenant: string;
        email: string;
        role: string;
        name?: string;
        passwordStdin?: boolean;
      }) => {
        const password = opts.passwordStdin ? (await ctx.io.readStdin()).replace(/\r?\n$/, '') : undefined;
        const created = await run<CreatedUser>('user.create', {
          tenant: opts.tenant,
          email: opts.email,
          role: opts.role,
          ...(opts.name ? { name: opts.name } : {}),
          ...(password !== undefined ? { password } : {}),
        });
        ctx.io.out(`created user ${created.user.email} (${created.user.id}) role=${created.user.role}`);
        if (created.generatedPassword) ctx.io.out(`password (shown once): ${created.generatedPassword}`);
      },
    );

  program
    .command('apikey')
    .description('API keys of a company')
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--tenant <tenant>', 'company slug')
    .addOption(new Option('--role <role>', 'role of the key').choices(COMPANY_ROLES).default('member'))
    .option('--name <name>', 'what the key is for')
    .action(async (opts: { tenant: string; role: string; name?: string }) => {
      const created = await run<{ apiKey: ApiKey; key: string }>('apikey.create', opts);
      ctx.io.err(
        `created API key ${created.apiKey.prefix}… (${created.apiKey.id}) role=${created.apiKey.role}; it is shown only now:`,
      );
      ctx.io.out(created.key);
    });
}
