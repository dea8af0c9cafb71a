import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface MariaDbServer {
  /** mysql://kura:<password>@127.0.0.1:<port>/shop */
  url: string;
  password: string;
  /** A new empty database the `kura` user may use; returns its URL. */
  createDatabase(name: string): string;
  /** The URL of a user that may only read the database (SELECT), as Kura should connect. */
  readerOf(name: string): string;
  stop(): Promise<void>;
}

const BIN = '/usr/sbin/mariadbd';
const INSTALL = '/usr/bin/mariadb-install-db';

/** Debian's mariadb-server binaries are there (`apt-get install mariadb-server`). */
export const hasMariaDb = () => existsSync(BIN) && existsSync(INSTALL);

/**
 * A throw-away MariaDB server in a temporary directory on a free port, with a database `shop` and
 * a user `kura` (password auth) that may use it. Started per test file; stopped with the file.
 */
export async function startMariaDb(): Promise<MariaDbServer> {
  if (!hasMariaDb())
    throw new Error(
      `MariaDB server binaries not found (${BIN}): apt-get install mariadb-server (see .ci/run)`,
    );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kura-maria-'));
  const dataDir = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  execFileSync(
    INSTALL,
    [`--datadir=${dataDir}`, '--auth-root-authentication-method=socket', '--skip-test-db', ...asRoot],
    { stdio: 'pipe' },
  );
  const port = await freePort();
  const child = spawn(
    BIN,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${path.join(dir, 'pid')}`,
      '--skip-log-bin',
      ...asRoot,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await waitFor(port, () => log, child);
  const password = 'maria-pw-Kura1';
  const sql = [
    'CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
    `CREATE USER 'kura'@'127.0.0.1' IDENTIFIED BY '${password}'`,
    "GRANT ALL ON shop.* TO 'kura'@'127.0.0.1'",
  ].join(';');
  const asAdmin = (statements: string) =>
    execFileSync('/usr/bin/mariadb', [`--socket=${socket}`, '-u', 'root', '-e', statements], {
      stdio: 'pipe',
    });
  asAdmin(sql);
  return {
    url: `mysql://kura:${password}@127.0.0.1:${port}/shop`,
    password,
    createDatabase(name) {
      checkDatabaseName(name);
      asAdmin(
        `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; GRANT ALL ON ${name}.* TO 'kura'@'127.0.0.1'`,
      );
      return `mysql://kura:${password}@127.0.0.1:${port}/${name}`;
    },
    readerOf(name) {
      checkDatabaseName(name);
      const user = `ro_${name}`.slice(0, 32);
      asAdmin(
        `CREATE USER IF NOT EXISTS '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'; GRANT SELECT ON ${name}.* TO '${user}'@'127.0.0.1'`,
      );
      return `mysql://${user}:${password}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(port: number, log: () => string, child: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited with ${child.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`mariadbd did not listen on ${port}:\n${log()}`);
}

/** Names go into SQL unquoted: letters, digits and _ only. */
function checkDatabaseName(name: string): void {
  if (!/^\w+$/.test(name)) throw new Error('database names: letters, digits, _');
}
