import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_WARM_AFTER } from '../../ingest/workers/adaptive-preparer.js';
import { hasFilesAtLeast } from '../../connectors/folder/count-files.js';
import type { CliContext } from '../cli-context.js';
import { reportSummary, runTracked } from './ingest-progress.js';

/**
 * `kura ingest --tenant T <path...>`: folders go in through a folder source each (created on first
 * use, named after the folder, kept for `kura source sync`), single files into the company's
 * `uploads` source. A second run reads only what changed (size and mtime, then content hash) and
 * removes what was deleted from a folder.
 */
export function registerIngestCommands(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .description(
      'index files and folders into a company (progress on stderr; exit 0 all in, 3 some failed, 1 none)',
    )
    .requiredOption('--tenant <tenant>', 'company slug')
    .argument('<path...>', 'files or folders (folders recursively)')
    .action(async (paths: string[], opts: { tenant: string }) => {
      const absolute = paths.map((p) => path.resolve(p));
      const summary = await runTracked(ctx, {
        tenant: opts.tenant,
        local: 'ingest.run',
        remote: 'ingest.start',
        args: { tenant: opts.tenant, paths: absolute },
        // More files than the main thread prepares before the threads would start anyway: start
        // them while the database opens. A few files go faster on the main thread alone.
        startPreparation: await hasFilesAtLeast(absolute, DEFAULT_WARM_AFTER),
      });
      if (summary) ctx.exitCode = reportSummary(ctx.io, summary);
    });
}
