import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from '../platform/log/logger.js';
import type { KuraConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import { handleError } from '../platform/http/error-handler.js';
import { registerMetrics } from '../platform/http/metrics.js';
import { refuseUnstorableText } from '../platform/http/unstorable-text.js';
import type { Tenancy } from '../tenancy/tenancy-module.js';
import { authenticateHook } from './authenticate.js';
import type { ZodApp } from './route-types.js';
import { systemRoutes } from './system/system.routes.js';
import { authRoutes } from './v1/auth/auth.routes.js';
import { meRoutes } from './v1/me/me.routes.js';
import { groupRoutes } from './v1/groups/groups.routes.js';
import { usageRoutes } from './v1/usage/usage.routes.js';
import type { UsageReportService } from '../governance/chargeback/usage-report.js';
import { companyRoutes } from './v1/companies/companies.routes.js';
import { userRoutes } from './v1/users/users.routes.js';
import { apiKeyRoutes } from './v1/api-keys/api-keys.routes.js';
import { ssoRoutes } from './v1/sso/sso.routes.js';
import { consoleRoutes } from './console/console.routes.js';
import type { Knowledge } from '../ingest/knowledge-module.js';
import { searchRoutes } from './v1/search/search.routes.js';
import { synonymRoutes } from './v1/search/synonyms.routes.js';
import { embeddingRoutes } from './v1/search/embeddings.routes.js';
import type { Connectors } from '../connectors/connectors-module.js';
import type { JobRunner } from '../ingest/jobs/job-runner.js';
import { sourceRoutes } from './v1/sources/sources.routes.js';
import { documentRoutes } from './v1/documents/documents.routes.js';
import type { Governance } from '../governance/governance-module.js';
import { providerRoutes } from './v1/providers/providers.routes.js';
import { policyRoutes } from './v1/policies/policies.routes.js';
import type { Analytics } from '../analytics/analytics-module.js';
import { dataRoutes } from './v1/data/data.routes.js';
import { quotaGuardHook } from '../governance/quotas/quota-http-guard.js';
import { auditRoutes } from './v1/audit/audit.routes.js';
import { quotaRoutes } from './v1/quotas/quotas.routes.js';
import { groupBudgetRoutes } from './v1/quotas/group-budget.routes.js';
import type { Assistant } from '../assistant/assistant-module.js';
import { askRoutes } from './v1/assistant/ask.routes.js';
import { conversationRoutes } from './v1/assistant/conversations.routes.js';
import { openAiRoutes } from './openai-compatible/chat-completions.routes.js';
import { mcpRoutes } from './mcp/mcp.routes.js';

export interface AppDependencies {
  config: KuraConfig;
  db: Database;
  tenancy: Tenancy;
  logger: Logger;
  /** Sources, documents, search (the knowledge pillar). */
  knowledge: Knowledge;
  /** Sources, syncs, documents and uploads (the ingestion pillar). */
  connectors: Connectors;
  /** The job queue: sync requests are enqueued here, job status read from it. */
  jobs: JobRunner;
  /** Residency policies, model providers, the model gateway; audit log and quotas. */
  governance: Governance;
  /** Semantic models and questions on the companies' databases. */
  analytics: Analytics;
  /** Conversations and answers (extractive offline, generative through the gateway). */
  assistant: Assistant;
  /** Group chargeback (GET /api/v1/groups/:id/usage). */
  usage: UsageReportService;
  /** How long a client may take to send its request (tests shorten it); default SLOW_CLIENT_LIMITS. */
  slowClients?: SlowClientLimits;
}

/** Slow-loris defence: headers and whole requests must arrive in time, checked every few seconds. */
export interface SlowClientLimits {
  headersMs: number;
  requestMs: number;
  checkEveryMs: number;
}

/**
 * Fastify turns Node's request timeout off by default, which lets a client that trickles its body
 * hold a connection for ever. Node's own defaults (60 s for headers, 5 minutes for a whole request,
 * enough for the largest upload on a slow link), checked every 5 s instead of every 30 s.
 */
export const SLOW_CLIENT_LIMITS: SlowClientLimits = {
  headersMs: 60_000,
  requestMs: 300_000,
  checkEveryMs: 5_000,
};

/** Builds the HTTP application: plugins, the authentication hook, every route, one error handler. */
export async function buildApp(deps: AppDependencies): Promise<ZodApp> {
  const app: ZodApp = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Request lines would cost more than the work at thousands of requests a second; metrics count them.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    requestTimeout: (deps.slowClients ?? SLOW_CLIENT_LIMITS).requestMs,
    http: {
      headersTimeout: (deps.slowClients ?? SLOW_CLIENT_LIMITS).headersMs,
      connectionsCheckingInterval: (deps.slowClients ?? SLOW_CLIENT_LIMITS).checkEveryMs,
    },
    trustProxy: false,
    // Audit events carry the request id: a caller's X-Request-Id when it is safe, else a UUID.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: 'Not found.' } }),
  );

  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Kura API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  const registry = registerMetrics(app);
  app.addHook('onRequest', authenticateHook(deps.tenancy.authenticator));
  app.addHook('onRequest', quotaGuardHook(deps.governance.quotas, deps.governance.rateLimiter));
  app.addHook('preValidation', refuseUnstorableText);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    await deps.governance.httpAudit.onSend(request, reply, payload);
    return payload;
  });

  app.get('/api/v1/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  systemRoutes(app, deps.db, registry);
  authRoutes(app, deps.tenancy, deps.config);
  meRoutes(app, deps.tenancy);
  groupRoutes(app, deps.tenancy);
  companyRoutes(app, deps.tenancy);
  userRoutes(app, deps.tenancy);
  apiKeyRoutes(app, deps.tenancy);
  ssoRoutes(app, deps.tenancy, deps.config);
  searchRoutes(app, deps.knowledge);
  synonymRoutes(app, deps.knowledge);
  embeddingRoutes(app, deps.knowledge);
  sourceRoutes(app, deps.connectors, deps.jobs);
  await documentRoutes(app, deps.connectors, deps.config.ingest.maxFileBytes);
  providerRoutes(app, deps.governance);
  policyRoutes(app, deps.governance);
  dataRoutes(app, deps.analytics);
  auditRoutes(app, deps.governance);
  quotaRoutes(app, deps.governance);
  groupBudgetRoutes(app, deps.governance);
  usageRoutes(app, deps.usage);
  askRoutes(app, deps.assistant);
  conversationRoutes(app, deps.assistant);
  await openAiRoutes(app, deps.assistant);
  mcpRoutes(app, deps.knowledge, deps.assistant, deps.analytics);
  await consoleRoutes(app);
  return app;
}
