import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestRateExceededError } from './quota-errors.js';
import type { QuotaService } from './quota-service.js';
import type { RequestRateLimiter } from './request-rate-limiter.js';

/** Routes that add stored bytes: refused before their body is read when the company is already full. */
const STORING_ROUTES = new Set(['POST /api/v1/documents']);

/**
 * Runs after authentication: counts the request against its company's requests-per-minute limit
 * (per company, not per address: a whole office shares one NAT), and refuses uploads that cannot
 * fit the storage cap with 413 before streaming them.
 */
export function quotaGuardHook(quotas: QuotaService, limiter: RequestRateLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const tenantId = request.actor?.tenantId;
    if (!tenantId) return;
    const limits = await quotas.limits(tenantId);
    if (limits.requestsPerMinute !== null) {
      const verdict = limiter.take(tenantId, limits.requestsPerMinute);
      if (!verdict.allowed)
        throw new RequestRateExceededError(limits.requestsPerMinute, verdict.retryAfterMs / 1000);
      reply.header('ratelimit-limit', String(limits.requestsPerMinute));
      reply.header('ratelimit-remaining', String(verdict.remaining));
    }
    if (
      limits.storageBytes !== null &&
      STORING_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ''}`)
    ) {
      // The body's length bounds the files in it (within the multipart framing): a request that cannot
      // fit is refused whole; the per-file check while indexing catches concurrent uploads.
      const length = Number(request.headers['content-length'] ?? 0);
      await quotas.admitStorage(tenantId, Number.isFinite(length) && length > 0 ? length : 1);
    }
  };
}
