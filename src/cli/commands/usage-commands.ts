import { Option, type Command } from 'commander';
import { usageReportCsv, type UsageReport } from '../../governance/chargeback/usage-report.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';

/** `kura usage report`: a group's chargeback for one month. */
export function registerUsageCommands(program: Command, ctx: CliContext): void {
  const usage = program.command('usage').description('model usage and cost per company of a group');
  usage
    .command('report')
    .description(
      'per company and model: requests, tokens, cost in JPY (KURA_PRICES_FILE); documents, storage',
    )
    .requiredOption('--group <slug>', 'group')
    .requiredOption('--month <yyyy-mm>', 'calendar month (UTC), e.g. 2026-11')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .action(async (opts: { group: string; month: string; format: 'csv' | 'json' }) => {
      const report = (await executeOperation(ctx.config(), ctx.logger(), 'usage.report', {
        group: opts.group,
        month: opts.month,
      })) as UsageReport;
      ctx.io.out(opts.format === 'json' ? JSON.stringify(report, null, 2) : usageReportCsv(report).trimEnd());
      if (report.unpriced.length > 0)
        ctx.io.err(
          `no price for ${report.unpriced.join(', ')}: counted as ¥0 (add them to KURA_PRICES_FILE)`,
        );
    });
}
