import type { Server } from 'node:http';
import { buildApp } from '../../api/server.js';
import type { KuraConfig } from '../../platform/config/config.js';
import { DataDirLock } from '../../platform/db/data-dir-lock.js';
import type { Logger } from '../../platform/log/logger.js';
import { DEMO, seedDemo } from '../demo/demo-seed.js';
import { startMaintenance } from '../maintenance.js';
import { listenOperatorSocket, operatorSocketPath } from '../operator-socket.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { searchStartupLine } from '../../search/lexical/lexical-search.js';
import { vectorStartupLine } from '../../search/vectors/vector-index.js';

export interface ServeOptions {
  demo: boolean;
  /** Whether the demo companies get their sales database (default true); a journey that starts a company without data turns it off. */
  demoSales?: boolean;
  print: (line: string) => void;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** `kura serve`: API and console, plus the worker's housekeeping in embedded mode. */
export async function serve(
  config: KuraConfig,
  logger: Logger,
  options: ServeOptions,
): Promise<RunningServer> {
  const embedded = !config.databaseUrl;
  const socketPath = embedded ? operatorSocketPath(config.dataDir) : undefined;
  const lock = embedded ? DataDirLock.acquire(config.dataDir, socketPath) : undefined;
  let socket: Server | undefined;
  let opened: Runtime | undefined;
  try {
    // A server searches: its dictionary loads while the database opens, not at the first query.
    const rt = await openRuntime(config, logger, { loadDictionary: true });
    opened = rt;
    const stopMaintenance = embedded ? startMaintenance(rt) : () => undefined;
    // Search chooses its BM25 path now (pg_textsearch or portable SQL) and logs which, not at the first query.
    const lexical = await rt.knowledge.lexical.index();
    const app = await buildApp({ ...rt, config, logger });
    const address = await app.listen({ host: config.host, port: config.port });
    if (socketPath) socket = await listenOperatorSocket(rt, socketPath);
    // Embedded mode runs the background jobs here (syncs, `kura ingest` through the socket), once
    // everything else is up; with PostgreSQL, `kura worker` processes run them.
    if (embedded) await rt.jobs.startWorker();
    const url = config.publicUrl ?? address.replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');

    options.print(
      `Kura is running on ${rt.db.kind === 'pglite' ? `the embedded database in ${config.dataDir}` : 'PostgreSQL'}.`,
    );
    options.print(`  Console:  ${url}/`);
    options.print(`  API:      ${url}/api/v1  (OpenAPI: ${url}/api/v1/openapi.json)`);
    options.print(searchStartupLine(lexical.engine, rt.db.kind));
    const vectors = await rt.knowledge.vectors?.index();
    if (vectors) options.print(vectorStartupLine(vectors.engine));
    if (options.demo) {
      const seeded = await seedDemo(rt, config.demoPassword, { sales: options.demoSales ?? true });
      printDemo(options.print, seeded.password, config.demoPassword !== undefined);
      for (const docs of seeded.documents) {
        options.print(
          `  Demo documents of ${docs.company}: ${docs.indexed} indexed${docs.failed.length ? `, ${docs.failed.length} failed` : ''}`,
        );
      }
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
    // A start that failed midway must not keep the process alive (open database, timers).
    await opened?.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
}

function printDemo(print: (line: string) => void, password: string | undefined, fromEnv: boolean): void {
  print('  Demo group ソラグループ — sign in with company, e-mail and password:');
  for (const user of DEMO.users)
    print(`    ${user.company.padEnd(12)} ${user.email.padEnd(30)} ${user.role}`);
  if (password && !fromEnv)
    print(`  Demo password (shown once; set KURA_DEMO_PASSWORD to choose it): ${password}`);
  else if (fromEnv) print('  Demo password: the value of KURA_DEMO_PASSWORD.');
  else print('  Demo password: printed at first start (or set KURA_DEMO_PASSWORD before the first start).');
}
