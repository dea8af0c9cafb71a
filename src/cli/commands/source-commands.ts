import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { tableSpecSchema, type TableSpec } from '../../connectors/database/database-settings.js';
import { InvalidArgumentError, type Command } from 'commander';
import type { AclRule } from '../../connectors/acl.js';
import type { SourceView } from '../../connectors/source-service.js';
import { InvalidRequestError } from '../../platform/errors/errors.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';
import { reportSummary, runTracked } from './ingest-progress.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--acl 'prefix=principal,principal'`, e.g. `--acl '役員会=group:役員,user:ceo@example.com'`. */
const collectAcl = (value: string, previous: AclRule[] = []): AclRule[] => {
  const at = value.lastIndexOf('=');
  if (at < 0) throw new InvalidArgumentError('use PREFIX=PRINCIPAL[,PRINCIPAL…], e.g. 役員会=group:役員');
  const principals = value
    .slice(at + 1)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return [...previous, { prefix: value.slice(0, at).trim(), principals }];
};

/** `--table 'orders@updated_at=注文{id}: {product}×{quantity}'` */
const collectTable = (value: string, previous: TableSpec[] = []): TableSpec[] => {
  const match = /^([^@=]+)(?:@([^=]+))?(?:=([\s\S]*))?$/u.exec(value);
  if (!match) throw new InvalidArgumentError('use NAME[@UPDATED_AT_COLUMN][=TEMPLATE]');
  const spec: TableSpec = { name: match[1]!.trim() };
  if (match[2]) spec.updatedAt = match[2].trim();
  if (match[3]) spec.template = match[3];
  return [...previous, spec];
};

function readTables(file: string): TableSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidRequestError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return z.array(tableSpecSchema).parse(parsed);
}

/** `kura source add|list|sync|remove`: a company's sources, from the operator's shell. */
export function registerSourceCommands(program: Command, ctx: CliContext): void {
  const run = async <T>(name: Parameters<typeof executeOperation>[2], args: unknown): Promise<T> =>
    (await executeOperation(ctx.config(), ctx.logger(), name, args)) as T;

  const source = program.command('source').description('where a company’s documents come from');

  source
    .command('add <kind>')
    .description(
      'add a source: folder (a path on this server or a mounted share), postgres, mysql (MariaDB) or sqlite',
    )
    .requiredOption('--tenant <tenant>', 'company slug')
    .option('--path <path>', 'folder to index (recursively), or the SQLite database file')
    .option(
      '--url <url>',
      'postgres://user@host/db or mysql://user@host/db (a password in it is stored apart and never shown)',
    )
    .option('--password-stdin', 'read the database password from standard input')
    .option('--name <name>', 'name of the source (default: the path or URL)')
    .option(
      '--include <glob>',
      'folder: only files matching (repeatable), e.g. "*.pdf" or "規程/**"',
      collect,
    )
    .option('--exclude <glob>', 'folder: leave out files or folders matching (repeatable)', collect)
    .option(
      '--acl <rule>',
      'folder: who may see files under a prefix (repeatable): PREFIX=everyone|user:<e-mail>|group:<name>,…',
      collectAcl,
    )
    .option(
      '--table <spec>',
      'database: a table to index (repeatable): NAME[@UPDATED_AT_COLUMN][=TEMPLATE with {column}]',
      collectTable,
    )
    .option(
      '--tables <file.json>',
      'database: the tables as JSON: [{name, key?, template?, title?, updatedAt?, acl?}]',
    )
    .action(
      async (
        kind: string,
        opts: {
          tenant: string;
          path?: string;
          url?: string;
          passwordStdin?: boolean;
          name?: string;
          include?: string[];
          exclude?: string[];
          acl?: AclRule[];
          table?: TableSpec[];
          tables?: string;
        },
      ) => {
        if (!['folder', 'postgres', 'mysql', 'sqlite'].includes(kind)) {
          throw new InvalidRequestError(
            `unknown source kind "${kind}" (folder, postgres, mysql, sqlite)`,
            'unsupported_source',
          );
        }
        const needsPath = kind === 'folder' || kind === 'sqlite';
        if (needsPath && !opts.path) throw new InvalidRequestError(`a ${kind} source needs --path`);
        if (!needsPath && !opts.url) throw new InvalidRequestError(`a ${kind} source needs --url`);
        const tables = [...(opts.tables ? readTables(opts.tables) : []), ...(opts.table ?? [])];
        const password = opts.passwordStdin ? (await ctx.io.readStdin()).replace(/\r?\n$/, '') : undefined;
        const created = await run<SourceView>('source.add', {
          tenant: opts.tenant,
          kind,
          ...(opts.path ? { path: path.resolve(opts.path) } : {}),
          ...(opts.url ? { url: opts.url } : {}),
          ...(password !== undefined ? { password } : {}),
          ...(opts.name ? { name: opts.name } : {}),
          ...(kind === 'folder'
            ? { include: opts.include ?? [], exclude: opts.exclude ?? [], acl: opts.acl ?? [] }
            : { tables }),
        });
        ctx.io.out(
          `added source ${created.name} (${created.id}); index it with: kura source sync --tenant ${opts.tenant} "${created.name}"`,
        );
      },
    );

  source
    .command('list')
    .description('list the sources of a company with their status and documents')
    .requiredOption('--tenant <tenant>', 'company slug')
    .option('--json', 'print JSON')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      const sources = await run<SourceView[]>('source.list', { tenant: opts.tenant });
      if (opts.json) return ctx.io.out(JSON.stringify(sources, null, 2));
      if (sources.length === 0) return ctx.io.out('no sources');
      for (const s of sources) {
        const docs = `${s.documents.indexed} indexed${s.documents.failed ? `, ${s.documents.failed} failed` : ''}${s.documents.skipped ? `, ${s.documents.skipped} skipped` : ''}`;
        const synced =
          s.kind === 'upload' ? 'uploaded files' : s.lastSyncAt ? `synced ${s.lastSyncAt}` : 'never synced';
        ctx.io.out(
          `${s.name}  [${s.kind}, ${s.status}] ${docs}; ${synced}${s.lastError ? `; error: ${s.lastError}` : ''}  (${s.id})`,
        );
      }
    });

  source
    .command('sync [source]')
    .description('sync a source (name or id) or --all: read what changed, remove what was deleted')
    .requiredOption('--tenant <tenant>', 'company slug')
    .option('--all', 'every source of the company')
    .option('--no-wait', 'with a running server: queue the sync and return')
    .action(async (name: string | undefined, opts: { tenant: string; all?: boolean; wait: boolean }) => {
      const args = {
        tenant: opts.tenant,
        ...(name !== undefined ? { source: name } : {}),
        ...(opts.all ? { all: true } : {}),
      };
      const summary = await runTracked(ctx, {
        tenant: opts.tenant,
        local: 'source.sync-now',
        remote: 'source.sync',
        args,
        noWait: !opts.wait,
        startPreparation: true,
      });
      if (summary) ctx.exitCode = reportSummary(ctx.io, summary);
    });

  source
    .command('remove [source]')
    .description('remove a source (name or id) or --all, with every document it brought in')
    .requiredOption('--tenant <tenant>', 'company slug')
    .option('--all', 'every source of the company')
    .action(async (name: string | undefined, opts: { tenant: string; all?: boolean }) => {
      const args = {
        tenant: opts.tenant,
        ...(name !== undefined ? { source: name } : {}),
        ...(opts.all ? { all: true } : {}),
      };
      const { removed } = await run<{ removed: string[] }>('source.remove', args);
      ctx.io.out(removed.length ? removed.map((n) => `removed source ${n}`).join('\n') : 'no sources');
    });
}
