import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `kura` entry point in this process with captured output and a given environment. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  stdin = '',
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'kura', ...args], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readStdin: async () => stdin,
    env: { KURA_LOG_LEVEL: 'silent', ...env },
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Server mode needs the installation's master key in every process (docs/SECURITY.md). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
