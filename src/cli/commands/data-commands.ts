import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { TableInfo } from '../../connectors/database/sql-source.js';
import type { AskResponse } from '../../analytics/service/analytics-service.js';
import type { StoredModel } from '../../analytics/service/model-repository.js';
import { formatValue } from '../../analytics/charts/narrative.js';
import { resultToCsv } from '../../analytics/charts/result-csv.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';

/** A plain text table: labels on top, values formatted (¥, %), columns padded by display width. */
function renderTable(answer: Extract<AskResponse, { kind: 'answer' }>): string[] {
  const width = (s: string) => [...s].reduce((n, c) => n + (/[\u1100-\uffdc]/u.test(c) ? 2 : 1), 0);
  const cells = [
    answer.columns.map((c) => c.label),
    ...answer.rows.map((r) =>
      answer.columns.map((c) =>
        c.role === 'dimension' ? String(r[c.name] ?? '—') : formatValue(r[c.name], c),
      ),
    ),
  ];
  const widths = answer.columns.map((_, i) => Math.max(...cells.map((row) => width(row[i]!))));
  return cells.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - width(cell));
        return answer.columns[i]!.role === 'dimension' ? cell + pad : pad + cell;
      })
      .join('  '),
  );
}

/** `kura data ask|model|tables`: analytics on a company's databases, from the operator's shell. */
export function registerDataCommands(program: Command, ctx: CliContext): void {
  const data = program.command('data').description("analytics on a company's databases");
  data
    .command('ask')
    .description('ask a question in Japanese or English; prints the table, the SQL and a short summary')
    .requiredOption('--tenant <tenant>', 'company slug')
    .option('--json', 'print query, sql, columns, rows, chart and narrative as JSON')
    .option('--csv', 'print only the table, as CSV')
    .argument('<question>', 'e.g. "2024年度の月別売上"')
    .action(async (question: string, opts: { tenant: string; json?: boolean; csv?: boolean }) => {
      const answer = (await executeOperation(ctx.config(), ctx.logger(), 'data.ask', {
        tenant: opts.tenant,
        question,
      })) as AskResponse;
      if (opts.json) {
        ctx.io.out(JSON.stringify(answer, null, 2));
        return;
      }
      if (opts.csv && answer.kind === 'answer') {
        ctx.io.out(resultToCsv(answer).trimEnd());
        return;
      }
      if (answer.kind === 'clarification') {
        ctx.io.out(answer.question);
        for (const choice of answer.choices) ctx.io.out(`  - ${choice.label} (${choice.value})`);
        return;
      }
      for (const line of renderTable(answer)) ctx.io.out(line);
      ctx.io.out('');
      ctx.io.out(answer.narrative);
      for (const note of answer.notes) ctx.io.out(note);
      ctx.io.out('');
      for (const statement of answer.sql) {
        ctx.io.out(`SQL: ${statement.sql}`);
        if (statement.params.length > 0) ctx.io.out(`     params: ${JSON.stringify(statement.params)}`);
      }
    });

  const model = data.command('model').description("the company's semantic model (YAML)");
  model
    .command('get')
    .description('print the semantic model in force')
    .requiredOption('--tenant <tenant>', 'company slug')
    .action(async (opts: { tenant: string }) => {
      const stored = (await executeOperation(
        ctx.config(),
        ctx.logger(),
        'data.model.get',
        opts,
      )) as StoredModel;
      ctx.io.out(stored.yaml.trimEnd());
      ctx.io.err(`version ${stored.version} (${stored.origin}, ${stored.createdAt})`);
    });
  model
    .command('set')
    .description('save a new version of the model from a YAML file (or standard input)')
    .requiredOption('--tenant <tenant>', 'company slug')
    .argument('[file]', 'the YAML file (default: standard input)')
    .action(async (file: string | undefined, opts: { tenant: string }) => {
      const yaml = file ? await readFile(file, 'utf8') : await ctx.io.readStdin();
      const stored = (await executeOperation(ctx.config(), ctx.logger(), 'data.model.set', {
        tenant: opts.tenant,
        yaml,
      })) as StoredModel;
      ctx.io.out(`saved the semantic model as version ${stored.version}`);
    });
  model
    .command('propose')
    .description("draft a model from a database source's schema and sample rows, and save it")
    .requiredOption('--tenant <tenant>', 'company slug')
    .requiredOption('--source <source>', 'the database source (name)')
    .action(async (opts: { tenant: string; source: string }) => {
      const stored = (await executeOperation(
        ctx.config(),
        ctx.logger(),
        'data.model.propose',
        opts,
      )) as StoredModel;
      ctx.io.out(stored.yaml.trimEnd());
      ctx.io.err(
        `saved the proposed model as version ${stored.version}; edit it with \`kura data model set\``,
      );
    });
  data
    .command('tables')
    .description("tables and columns of the model's database source")
    .requiredOption('--tenant <tenant>', 'company slug')
    .option('--source <source>', 'another database source (name)')
    .action(async (opts: { tenant: string; source?: string }) => {
      const tables = (await executeOperation(ctx.config(), ctx.logger(), 'data.tables', opts)) as TableInfo[];
      for (const t of tables)
        ctx.io.out(
          `${t.schema ? `${t.schema}.` : ''}${t.name}: ${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`,
        );
    });
}
