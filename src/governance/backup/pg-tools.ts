import { spawn } from 'node:child_process';
import { AppError } from '../../platform/errors/errors.js';

/**
 * Runs pg_dump or pg_restore from PATH (server mode). Their version should match the server's
 * major version or be newer; what they print on failure becomes the error message.
 */
export function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new AppError(
          500,
          'pg_tool_missing',
          error.code === 'ENOENT'
            ? `${tool} is not on PATH: install PostgreSQL's client tools (e.g. apt-get install postgresql-client) matching the server's major version`
            : `${tool} could not start: ${error.message}`,
          true,
        ),
      ),
    );
    child.once('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new AppError(
            500,
            `${tool}_failed`,
            `${tool} exited with ${code}: ${redact(stderr.trim()).slice(0, 2000)}`,
            true,
          ),
        );
    });
  });
}

/** Passwords in connection strings never reach an error message. */
const redact = (text: string): string => text.replace(/(postgres(?:ql)?:\/\/[^:@/\s]+:)[^@\s]+@/g, '$1***@');
