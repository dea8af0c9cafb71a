import { Command, CommanderError, Option } from 'commander';
import { loadConfig, processEnvironment, type ConfigOverrides } from '../platform/config/config.js';
import { AppError } from '../platform/errors/errors.js';
import { createLogger } from '../platform/log/logger.js';
import { ZodError } from 'zod';
import { registerAdminCommands } from './commands/admin-commands.js';
import { registerServerCommands } from './commands/server-commands.js';
import { registerIngestCommands } from './commands/ingest-commands.js';
import { registerSourceCommands } from './commands/source-commands.js';
import { registerSearchCommands, registerSynonymCommands } from './commands/search-commands.js';
import { registerBenchCommands } from './commands/bench-commands.js';
import { registerGovernanceCommands } from './commands/governance-commands.js';
import { registerAuditCommands } from './commands/audit-commands.js';
import { registerKeyCommands } from './commands/key-commands.js';
import { registerUsageCommands } from './commands/usage-commands.js';
import { registerDataCommands } from './commands/data-commands.js';
import { registerAskCommands } from './commands/ask-commands.js';
import { registerBackupCommands } from './commands/backup-commands.js';
import { registerGroupBudgetCommands } from './commands/group-budget-commands.js';
import type { CliContext } from './cli-context.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  readStdin: () => Promise<string>;
  env: Record<string, string | undefined>;
  /** Present when standard error is a terminal: progress bars redraw one line there. */
  terminal?: { write: (text: string) => void; columns: () => number };
}

const defaultIo = (): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  env: processEnvironment(),
  ...(process.stderr.isTTY
    ? {
        terminal: {
          write: (text: string) => void process.stderr.write(text),
          columns: () => process.stderr.columns || 80,
        },
      }
    : {}),
});

/** Exit codes: 0 success, 1 a failed operation (one-line reason), 2 a usage error. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const program = new Command('kura')
    .description('Kura (蔵): enterprise AI platform for corporate groups')
    .addOption(
      new Option(
        '--data-dir <dir>',
        'data directory of the embedded database (default ./.kura, or KURA_DATA_DIR)',
      ),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const context: CliContext = {
    io,
    config: (overrides: ConfigOverrides = {}) => {
      const dataDir = program.opts<{ dataDir?: string }>().dataDir;
      return loadConfig(io.env, { ...(dataDir ? { dataDir } : {}), ...overrides });
    },
    logger: (level = 'warn') => createLogger(level, process.stderr),
  };
  registerServerCommands(program, context);
  registerAdminCommands(program, context);
  registerIngestCommands(program, context);
  registerSourceCommands(program, context);
  registerSearchCommands(program, context);
  registerSynonymCommands(program, context);
  registerBenchCommands(program, context);
  registerGovernanceCommands(program, context);
  registerAuditCommands(program, context);
  registerKeyCommands(program, context);
  registerUsageCommands(program, context);
  registerDataCommands(program, context);
  registerAskCommands(program, context);
  registerBackupCommands(program, context);
  registerGroupBudgetCommands(program, context);

  try {
    await program.parseAsync(argv);
    return context.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
        ? 0
        : 2;
    }
    io.err(`kura: ${describe(error)}`);
    return 1;
  }
}

function describe(error: unknown): string {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return `invalid ${issue?.path.join('.') || 'input'}: ${issue?.message}`;
  }
  if (error instanceof AppError && error.expose) return error.message;
  return `unexpected error: ${(error as Error).message}`;
}
