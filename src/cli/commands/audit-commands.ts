import { Option, type Command } from 'commander';
import { InvalidRequestError } from '../../platform/errors/errors.js';
import type { VerifyResult } from '../../governance/audit/audit-verifier.js';
import type { QuotaView } from '../../governance/quotas/quota-service.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';
import type { OperationName } from '../operations.js';

/** `--rpm 600`, or `--rpm none` to lift the limit (commander turns a parsed null into '', hence the word). */
function limitOption(flag: string) {
  return (value: string): number | 'none' => {
    if (value === 'none' || value === 'off') return 'none';
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidRequestError(`${flag} takes a number, or "none"`);
    return n;
  };
}

type Limit = number | 'none';
const orNull = (limit: Limit): number | null => (limit === 'none' ? null : limit);

/** `kura audit verify|export|prune` and `kura tenant set-quota|quota`. */
export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const run = async <T>(name: OperationName, args: unknown): Promise<T> =>
    (await executeOperation(ctx.config(), ctx.logger(), name, args)) as T;

  const audit = program.command('audit').description("a company's tamper-evident audit log");
  audit
    .command('verify')
    .description('check the hash chain; exit 0 when intact, 1 naming the first bad event')
    .requiredOption('--tenant <slug>', 'company')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      const result = await run<VerifyResult>('audit.verify', { tenant: opts.tenant });
      if (opts.json) ctx.io.out(JSON.stringify(result));
      if (result.ok) {
        if (!opts.json) {
          const from =
            result.checkpointSeq !== null
              ? ` (from the retention checkpoint at event ${result.checkpointSeq})`
              : '';
          ctx.io.out(`audit log of ${opts.tenant} intact: ${result.events} events${from}`);
        }
        return;
      }
      if (!opts.json)
        ctx.io.err(
          `audit log of ${opts.tenant} BROKEN at event ${result.seq} (${result.problem}): ${result.message}`,
        );
      ctx.exitCode = 1;
    });
  audit
    .command('export')
    .description('print events as JSON Lines or CSV (redirect to a file)')
    .requiredOption('--tenant <slug>', 'company')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--actor <actor>', 'an actor id, or a kind: user, api_key, operator, system, anonymous')
    .option('--action <action>', 'an action (auth.sign_in) or a family (auth.*)')
    .option('--since <time>', 'from this ISO 8601 time (inclusive)')
    .option('--until <time>', 'until this ISO 8601 time (exclusive)')
    .action(
      async (opts: {
        tenant: string;
        format: string;
        actor?: string;
        action?: string;
        since?: string;
        until?: string;
      }) => {
        const result = await run<{ text: string; events: number }>('audit.export', opts);
        if (result.text !== '') ctx.io.out(result.text.replace(/\r?\n$/, ''));
      },
    );
  audit
    .command('prune')
    .description("delete events past retention (the sector's preset unless --days) after a signed checkpoint")
    .requiredOption('--tenant <slug>', 'company')
    .option('--days <n>', 'keep this many days instead of the preset', Number)
    .action(async (opts: { tenant: string; days?: number }) => {
      const result = await run<{ pruned: number; throughSeq: number | null; retentionDays: number }>(
        'audit.prune',
        opts,
      );
      ctx.io.out(
        result.pruned > 0
          ? `pruned ${result.pruned} events through event ${result.throughSeq} (retention ${result.retentionDays} days); checkpoint signed`
          : `nothing older than ${result.retentionDays} days`,
      );
    });

  const tenant = program.commands.find((c) => c.name() === 'tenant') ?? program.command('tenant');
  tenant
    .command('set-quota <slug>')
    .description('set limits of a company ("none" lifts one; limits not named keep their value)')
    .option('--rpm <n>', 'requests per minute (whole company)', limitOption('--rpm'))
    .option('--storage-mb <n>', 'storage cap in MB (indexed documents)', limitOption('--storage-mb'))
    .option('--monthly-tokens <n>', 'model tokens a month', limitOption('--monthly-tokens'))
    .action(async (slug: string, opts: { rpm?: Limit; storageMb?: Limit; monthlyTokens?: Limit }) => {
      if (opts.rpm === undefined && opts.storageMb === undefined && opts.monthlyTokens === undefined) {
        throw new InvalidRequestError('name at least one of --rpm, --storage-mb, --monthly-tokens');
      }
      const quota = await run<QuotaView>('tenant.set-quota', {
        tenant: slug,
        ...(opts.rpm !== undefined ? { requestsPerMinute: orNull(opts.rpm) } : {}),
        ...(opts.storageMb !== undefined ? { storageMb: orNull(opts.storageMb) } : {}),
        ...(opts.monthlyTokens !== undefined ? { monthlyTokens: orNull(opts.monthlyTokens) } : {}),
      });
      ctx.io.out(describeQuota(slug, quota));
    });
  tenant
    .command('quota <slug>')
    .description("show a company's limits and storage in use")
    .option('--json', 'print JSON')
    .action(async (slug: string, opts: { json?: boolean }) => {
      const quota = await run<QuotaView>('tenant.get-quota', { tenant: slug });
      ctx.io.out(opts.json ? JSON.stringify(quota) : describeQuota(slug, quota));
    });
}

function describeQuota(slug: string, q: QuotaView): string {
  const show = (v: number | null, unit = '') => (v === null ? 'unlimited' : `${v}${unit}`);
  return (
    `${slug}: rpm=${show(q.requestsPerMinute)} storage=${show(q.storageMb, ' MB')} ` +
    `monthly-tokens=${show(q.monthlyTokens)} (storage in use ${(q.usage.storageBytes / 1024 / 1024).toFixed(1)} MB)`
  );
}
