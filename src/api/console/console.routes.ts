import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { ZodApp } from '../route-types.js';

export const CONSOLE_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/**
 * The web console: the Vite build in web/dist, served at `/`, with client-side routes falling back
 * to index.html. The console's own API calls authenticate like any other client.
 */
export async function consoleRoutes(app: ZodApp, dir = CONSOLE_DIR): Promise<void> {
  if (!existsSync(dir)) {
    app.log.warn(`web console not built (${dir} missing): run "npm run build:web"`);
    return;
  }
  await app.register(async (scope) => {
    // The console's files are public (its API calls are not): mark every route of this scope, the
    // static plugin's one-route-per-file included, so the authentication hook lets them through.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, auth: 'public' };
    });
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false,
      decorateReply: true,
      // Vite names built assets by content hash: they never change, index.html always may.
      setHeaders: (reply, file) => {
        reply.header(
          'cache-control',
          file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    scope.get('/*', { config: { auth: 'public' }, schema: { hide: true } }, (request, reply) => {
      const url = request.url;
      if (url.startsWith('/api/') || url.startsWith('/v1/') || url.startsWith('/mcp')) {
        return reply.status(404).send({ error: { code: 'not_found', message: 'Not found.' } });
      }
      return reply.sendFile('index.html');
    });
  });
}
