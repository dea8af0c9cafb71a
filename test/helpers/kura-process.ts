import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/kura.mjs', import.meta.url));

export interface KuraChild {
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface KuraProcess extends KuraChild {
  url: string;
}

/** Starts `kura <args>` as a real child process and waits until its stdout matches `ready`. */
async function startKura(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs: number,
): Promise<KuraChild & { ready: RegExpExecArray }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, KURA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kura ${args[0]} did not start:\n${output}`)), timeoutMs);
    const check = () => {
      const found = ready.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kura ${args[0]} exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    ready: match,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Starts `kura serve` as a real child process and waits until it prints its console URL. */
export async function startKuraProcess(
  args: string[],
  env: Record<string, string> = {},
  startTimeoutMs = 60_000,
): Promise<KuraProcess> {
  const started = await startKura(
    ['serve', '--port', '0', ...args],
    env,
    /Console:\s+(http:\/\/\S+?)\/?\s/,
    startTimeoutMs,
  );
  return { ...started, url: started.ready[1]! };
}

/** Starts `kura worker` (server mode: DATABASE_URL in `env`) and waits until it says it runs. */
export async function startKuraWorker(
  env: Record<string, string>,
  startTimeoutMs = 60_000,
): Promise<KuraChild> {
  return startKura(['worker'], env, /^kura worker running on /m, startTimeoutMs);
}
