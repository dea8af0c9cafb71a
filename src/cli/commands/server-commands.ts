import { InvalidArgumentError, type Command } from 'commander';
import { DataDirLock } from '../../platform/db/data-dir-lock.js';
import type { CliContext } from '../cli-context.js';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a port number 0–65535');
  return port;
}

/** Resolves on the first SIGINT or SIGTERM. */
const untilSignal = () =>
  new Promise<string>((resolve) => {
    const stop = (signal: string) => resolve(signal);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

export function registerServerCommands(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the API and the web console (and the worker, in embedded mode)')
    .option('--port <port>', 'port to listen on (default 8080, or KURA_PORT)', parsePort)
    .option('--host <host>', 'address to listen on (default 127.0.0.1, or KURA_HOST)')
    .option('--no-demo', 'do not create the demo group on first start')
    .action(async (opts: { port?: number; host?: string; demo: boolean }) => {
      const config = ctx.config({
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        ...(opts.host ? { host: opts.host } : {}),
      });
      const logger = ctx.logger(config.logLevel);
      // Loaded when run: other commands do not pay for loading the server.
      const { serve } = await import('./serve.js');
      const server = await serve(config, logger, { demo: opts.demo, print: ctx.io.out });
      const signal = await untilSignal();
      ctx.io.out(`kura: ${signal} received, shutting down`);
      await server.stop();
    });

  program
    .command('worker')
    .description('run background work against PostgreSQL (DATABASE_URL); embedded mode runs it inside serve')
    .action(async () => {
      const config = ctx.config();
      const logger = ctx.logger(config.logLevel);
      const lock = config.databaseUrl ? undefined : DataDirLock.acquire(config.dataDir);
      const [{ openRuntime }, { startMaintenance }] = await Promise.all([
        import('../runtime.js'),
        import('../maintenance.js'),
      ]);
      const rt = await openRuntime(config, logger);
      const stop = startMaintenance(rt);
      await rt.jobs.startWorker();
      ctx.io.out(
        `kura worker running on ${rt.db.kind === 'pglite' ? config.dataDir : 'PostgreSQL'} (${config.workerConcurrency} jobs at once)`,
      );
      await untilSignal();
      stop();
      await rt.close();
      lock?.release();
    });
}
