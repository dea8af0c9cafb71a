import { createHash } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../platform/errors/errors.js';
import { toErrorResponse } from '../platform/http/error-handler.js';
import { isOperationName, runOperation, type OperationName } from './operations.js';
import type { Runtime } from './runtime.js';

/**
 * While `kura serve` owns an embedded data directory, no other process may open it. CLI commands
 * reach the server through a Unix socket instead, readable only by the account that runs Kura
 * (mode 0600): whoever can use it could equally read the data directory itself.
 */
export function operatorSocketPath(dataDir: string): string {
  const inDir = path.join(dataDir, 'kura.sock');
  // Unix socket paths are limited to about 100 bytes.
  if (Buffer.byteLength(inDir) < 100) return inDir;
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `kura-${hash}.sock`);
}

export async function listenOperatorSocket(rt: Runtime, socketPath: string): Promise<http.Server> {
  rmSync(socketPath, { force: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        let status = 200;
        let body: unknown;
        try {
          const { name, args } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            name: string;
            args: unknown;
          };
          if (!isOperationName(name))
            throw new AppError(400, 'unknown_operation', `unknown operation ${name}`);
          body = { result: await runOperation(rt, name, args) };
        } catch (error) {
          const response = toErrorResponse(error);
          status = response.status;
          body = response.body;
        }
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  chmodSync(socketPath, 0o600);
  return server;
}

/** Sends one operation to the running server and returns its result, or throws its error. */
export function callOperatorSocket(socketPath: string, name: OperationName, args: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath, path: '/op', method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              result?: unknown;
              error?: { code: string; message: string };
            };
            if (body.error)
              reject(new AppError(res.statusCode ?? 500, body.error.code, body.error.message, true));
            else resolve(body.result);
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on('error', (error) =>
      reject(
        new AppError(
          503,
          'server_unreachable',
          `the Kura server holding the data directory did not answer: ${error.message}`,
          true,
        ),
      ),
    );
    req.end(JSON.stringify({ name, args }));
  });
}
