import type { KuraConfig } from '../platform/config/config.js';
import { DataDirLock } from '../platform/db/data-dir-lock.js';
import type { Logger } from '../platform/log/logger.js';
import type { OperationName } from './operations.js';
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
): Promise<unknown> {
  if (!config.databaseUrl) {
    const holder = DataDirLock.holder(config.dataDir);
    if (holder?.socket) return callOperatorSocket(holder.socket, name, args);
  }
  const lock = config.databaseUrl ? undefined : DataDirLock.acquire(config.dataDir);
  try {
    // Loaded only here: a command the running server answers (the socket above) never pays for
    // loading the whole runtime (~2 s of a CLI call's start-up).
    const [{ openRuntime }, { runOperation }] = await Promise.all([
      import('./runtime.js'),
      import('./operations.js'),
    ]);
    const rt = await openRuntime(config, logger);
    try {
      return await runOperation(rt, name, args);
    } finally {
      await rt.close();
    }
  } finally {
    lock?.release();
  }
}
