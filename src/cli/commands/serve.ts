import type { Server } from 'node:http';
import { buildApp } from '../../api/server.js';
import type { KuraConfig } from '../../platform/config/config.js';
import { DataDirLock } from '../../platform/db/data-dir-lock.js';
import type { Logger } from '../../platform/log/logger.js';
import { DEMO, seedDemo } from '../demo/demo-seed.js';
import { startMaintenance } from '../maintenance.js';
import { listenOperatorSocket, operatorSocketPath } from '../operator-socket.js';
import { openRuntime } from '../runtime.js';

export interface ServeOptions {
  demo: boolean;
  print: (line: string) => void;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** `kura serve`: API and console, plus the worker's housekeeping in embedded mode. */
export async function serve(config: KuraConfig, logger: Logger, options: ServeOptions): Promise<RunningServer> {
  const embedded = !config.databaseUrl;
  const socketPath = embedded ? operatorSocketPath(config.dataDir) : undefined;
  const lock = embedded ? DataDirLock.acquire(config.dataDir, socketPath) : undefined;
  let socket: Server | undefined;
  try {
    const rt = await openRuntime(config, logger);
    const stopMaintenance = embedded ? startMaintenance(rt) : () => undefined;
    const app = await buildApp({ config, db: rt.db, tenancy: rt.tenancy, logger });
    const address = await app.listen({ host: config.host, port: config.port });
    if (socketPath) socket = await listenOperatorSocket(rt, socketPath);
    const url = config.publicUrl ?? address.replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');

    options.print(`Kura is running on ${rt.db.kind === 'pglite' ? `the embedded database in ${config.dataDir}` : 'PostgreSQL'}.`);
    options.print(`  Console:  ${url}/`);
    options.print(`  API:      ${url}/api/v1  (OpenAPI: ${url}/api/v1/openapi.json)`);
    if (options.demo) {
      const seeded = await seedDemo(rt, config.demoPassword);
      printDemo(options.print, seeded.password, config.demoPassword !== undefined);
    }

    let stopped = false;
    return {
      url,
      async stop() {
        if (stopped) return;
        stopped = true;
        stopMaintenance();
        await new Promise<void>((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
        await app.close();
        await rt.close();
        lock?.release();
      },
    };
  } catch (error) {
    socket?.close();
    lock?.release();
    throw error;
  }
}

function printDemo(print: (line: string) => void, password: string | undefined, fromEnv: boolean): void {
  print('  Demo group ソラグループ — sign in with company, e-mail and password:');
  for (const user of DEMO.users) print(`    ${user.company.padEnd(12)} ${user.email.padEnd(30)} ${user.role}`);
  if (password && !fromEnv) print(`  Demo password (shown once; set KURA_DEMO_PASSWORD to choose it): ${password}`);
  else if (fromEnv) print('  Demo password: the value of KURA_DEMO_PASSWORD.');
  else print('  Demo password: printed at first start (or set KURA_DEMO_PASSWORD before the first start).');
}
