import type { KuraConfig } from '../platform/config/config.js';
import { DataDirLock } from '../platform/db/data-dir-lock.js';
import type { Logger } from '../platform/log/logger.js';
import type { OperationHooks, OperationName } from './operations.js';
import type { RuntimeOptions } from './runtime.js';
import { callOperatorSocket } from './operator-socket.js';

/**
 * Runs an operator operation where the data lives: through the running server's socket when one
 * holds the embedded data directory, otherwise by opening the database in this process.
 */
export async function executeOperation(
  config: KuraConfig,
  logger: Logger,
  name: OperationName,
  args: unknown,
  runtimeOptions?: RuntimeOptions,
): Promise<unknown> {
  if (!config.databaseUrl) {
    const holder = DataDirLock.holder(config.dataDir);
    if (holder?.socket) return callOperatorSocket(holder.socket, name, args);
  }
  return runInThisProcess(config, logger, name, args, {}, runtimeOptions);
}

/**
 * Runs an operation on the database opened here, holding the embedded data directory meanwhile.
 * The runtime is loaded only here: a command the running server answers never pays for loading it
 * (~2 s of a CLI call's start-up).
 */
export async function runInThisProcess(
  config: KuraConfig,
  logger: Logger,
  name: OperationName,
  args: unknown,
  hooks?: OperationHooks,
  runtimeOptions?: RuntimeOptions,
): Promise<unknown> {
  const lock = config.databaseUrl ? undefined : DataDirLock.acquire(config.dataDir);
  try {
    const [{ openRuntime }, { runOperation }] = await Promise.all([
      import('./runtime.js'),
      import('./operations.js'),
    ]);
    const rt = await openRuntime(config, logger, runtimeOptions);
    try {
      return await runOperation(rt, name, args, hooks);
    } finally {
      await rt.close();
    }
  } finally {
    lock?.release();
  }
}
