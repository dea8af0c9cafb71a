import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import type { ZodApp } from '../route-types.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Liveness and Prometheus metrics. Metrics carry no company data and answer on loopback only. */
export function systemRoutes(app: ZodApp, db: Database, registry: Registry): void {
  app.get(
    '/healthz',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['system'],
        response: { 200: z.object({ status: z.literal('ok'), database: z.string() }) },
      },
    },
    async () => {
      await db.global((tx) => tx.query('SELECT 1'));
      return { status: 'ok' as const, database: db.kind };
    },
  );
  app.get('/metrics', { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
    // A reverse proxy on the same machine connects from loopback too: what it forwards is not local.
    const forwarded =
      request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
    if (!LOOPBACK.has(request.ip) || forwarded) {
      return reply.status(404).send({ error: { code: 'not_found', message: 'Not found.' } });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
