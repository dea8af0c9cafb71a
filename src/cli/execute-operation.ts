import type { KuraConfig } from '../platform/config/config.js';
import { DataDirLock } from '../platform/db/data-dir-lock.js';
import type { Logger } from '../platform/log/logger.js';
import { runOperation, type OperationName } from './operations.js';
import { callOperatorSocket } from './operator-socket.js';
import { openRuntime } from './runtime.js';

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
