import { Option, type Command } from 'commander';
import type { GroupBudgetView } from '../../governance/quotas/group-budget-service.js';
import { InvalidRequestError } from '../../platform/errors/errors.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';

/** `kura group budget show|set|remove`: a group's monthly token budget split across its companies. */
export function registerGroupBudgetCommands(program: Command, ctx: CliContext): void {
  const group = program.commands.find((c) => c.name() === 'group') ?? program.command('group');
  const budget = group
    .command('budget')
    .description('monthly model-token budget of a group, split across its companies');
  const print = (view: GroupBudgetView, json: boolean | undefined) => {
    if (json) return ctx.io.out(JSON.stringify(view, null, 2));
    ctx.io.out(
      view.monthlyTokens === null
        ? `no group budget (${view.month}: ${view.usedTokens} tokens used by the group)`
        : `group budget ${view.monthlyTokens} tokens a month, split by ${view.split}; ${view.month}: ${view.usedTokens} used`,
    );
    for (const c of view.companies) {
      ctx.io.out(
        `  ${c.slug}: ${c.usedTokens} used${c.allowanceTokens === null ? '' : ` of ${c.allowanceTokens} (${view.split === 'shares' ? 'share' : 'fixed'} ${c.value})`}`,
      );
    }
  };
  budget
    .command('show')
    .requiredOption('--group <slug>', 'group')
    .option('--json', 'print JSON')
    .action(async (opts: { group: string; json?: boolean }) => {
      print(
        (await executeOperation(ctx.config(), ctx.logger(), 'group.budget.get', opts)) as GroupBudgetView,
        opts.json,
      );
    });
  budget
    .command('set')
    .description(
      'e.g. --monthly-tokens 1000000 --split shares --allocate sora-pay=2 --allocate sora-mobile=1',
    )
    .requiredOption('--group <slug>', 'group')
    .requiredOption('--monthly-tokens <n>', 'model tokens (in + out) the whole group may use a month', Number)
    .addOption(
      new Option('--split <how>', 'shares of the budget, or fixed tokens per company')
        .choices(['shares', 'fixed'])
        .default('shares'),
    )
    .option(
      '--allocate <company=value...>',
      'a company’s share or fixed tokens (repeat); a company not named gets 0',
    )
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        group: string;
        monthlyTokens: number;
        split: 'shares' | 'fixed';
        allocate?: string[];
        json?: boolean;
      }) => {
        const allocations = (opts.allocate ?? []).map((item) => {
          const match = /^([^=]+)=(\d+(?:\.\d+)?)$/.exec(item);
          if (!match)
            throw new InvalidRequestError(`--allocate ${item}: write company=number`, 'invalid_allocation');
          return { company: match[1]!, value: Number(match[2]) };
        });
        const view = (await executeOperation(ctx.config(), ctx.logger(), 'group.budget.set', {
          group: opts.group,
          monthlyTokens: opts.monthlyTokens,
          split: opts.split,
          allocations,
        })) as GroupBudgetView;
        print(view, opts.json);
      },
    );
  budget
    .command('remove')
    .requiredOption('--group <slug>', 'group')
    .action(async (opts: { group: string }) => {
      print(
        (await executeOperation(ctx.config(), ctx.logger(), 'group.budget.remove', opts)) as GroupBudgetView,
        false,
      );
    });
}
