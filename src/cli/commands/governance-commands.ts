import { Option, type Command } from 'commander';
import { PII_MODES } from '../../governance/residency/regions.js';
import { describePolicy, type ResidencyPolicy } from '../../governance/residency/residency-policy.js';
import type { Provider } from '../../platform/llm/providers/provider.js';
import { PROVIDER_KINDS } from '../../platform/llm/providers/provider.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';
import type { OperationName } from '../operations.js';

interface AddProviderOptions {
  kind: string;
  baseUrl: string;
  apiKeyStdin?: boolean;
  region: string;
  chatModel: string;
  embeddingModel?: string;
  retainsData?: boolean;
}

interface SetPolicyOptions {
  regions?: string;
  providers?: string;
  retaining?: boolean;
  pii?: string;
}

/** `any` (or `*`) lifts the restriction; otherwise a comma-separated list. */
const listOrAny = (value: string): string[] | null =>
  value === 'any' || value === '*'
    ? null
    : value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');

const describeProvider = (p: Provider): string =>
  `${p.name}  kind=${p.kind} region=${p.region} chat=${p.chatModel} embedding=${p.embeddingModel ?? '-'}` +
  ` retains-data=${p.retainsData ? 'yes' : 'no'} key=${p.hasApiKey ? 'sealed' : 'none'} ${p.baseUrl}`;

/** `kura provider add|list|remove` and `kura tenant set-policy`: the model gateway's operator commands. */
export function registerGovernanceCommands(program: Command, ctx: CliContext): void {
  const run = async <T>(name: OperationName, args: unknown): Promise<T> =>
    (await executeOperation(ctx.config(), ctx.logger(), name, args)) as T;

  const provider = program.command('provider').description('model providers (where model calls may go)');
  provider
    .command('add <name>')
    .description('register a model provider; its API key is sealed at rest')
    .addOption(new Option('--kind <kind>', 'provider protocol').choices(PROVIDER_KINDS).makeOptionMandatory())
    .requiredOption(
      '--base-url <url>',
      'e.g. https://api.openai.com/v1, https://<resource>.openai.azure.com/openai/v1',
    )
    .option('--api-key-stdin', 'read the API key from standard input')
    .requiredOption('--region <region>', 'where it processes data: jp-east, jp-west, on-prem, us, eu, apac')
    .requiredOption('--chat-model <model>', 'chat model (Azure: the deployment name)')
    .option('--embedding-model <model>', 'embedding model (Azure: the deployment name)')
    .option('--retains-data', 'the provider keeps prompts (abuse monitoring, training)')
    .action(async (name: string, opts: AddProviderOptions) => {
      const apiKey = opts.apiKeyStdin ? (await ctx.io.readStdin()).trim() : undefined;
      const added = await run<Provider>('provider.add', {
        name,
        kind: opts.kind,
        baseUrl: opts.baseUrl,
        region: opts.region,
        chatModel: opts.chatModel,
        retainsData: opts.retainsData === true,
        ...(opts.embeddingModel ? { embeddingModel: opts.embeddingModel } : {}),
        ...(apiKey ? { apiKey } : {}),
      });
      ctx.io.out(`added provider ${describeProvider(added)}`);
    });
  provider
    .command('list')
    .description('registered model providers')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const providers = await run<Provider[]>('provider.list', {});
      if (opts.json) return ctx.io.out(JSON.stringify(providers, null, 2));
      if (providers.length === 0) ctx.io.out('no providers: answers are extractive (offline mode)');
      for (const p of providers) ctx.io.out(describeProvider(p));
    });
  provider
    .command('remove <name>')
    .description('remove a model provider')
    .action(async (name: string) => {
      await run('provider.remove', { name });
      ctx.io.out(`removed provider ${name}`);
    });

  const tenant = program.commands.find((c) => c.name() === 'tenant') ?? program.command('tenant');
  tenant
    .command('set-policy <slug>')
    .description("set (or, without options, show) the company's residency policy for model calls")
    .option('--regions <regions>', 'allowed regions, e.g. jp-east,on-prem (any: no restriction)')
    .option('--providers <providers>', 'allowed provider names (any: every registered provider)')
    .option('--allow-retaining', 'providers that retain data may be used')
    .option('--no-retaining', 'providers that retain data may not be used')
    .addOption(new Option('--pii <mode>', 'personal data handling').choices(PII_MODES))
    .action(async (slug: string, opts: SetPolicyOptions & { allowRetaining?: boolean }) => {
      const policy = await run<ResidencyPolicy>('tenant.set-policy', {
        tenant: slug,
        ...(opts.regions !== undefined ? { allowedRegions: listOrAny(opts.regions) } : {}),
        ...(opts.providers !== undefined ? { allowedProviders: listOrAny(opts.providers) } : {}),
        ...(opts.allowRetaining ? { allowRetaining: true } : {}),
        ...(opts.retaining === false ? { allowRetaining: false } : {}),
        ...(opts.pii ? { piiMode: opts.pii } : {}),
      });
      ctx.io.out(`policy of ${slug}: ${describePolicy(policy)}`);
    });
}
