import { z } from 'zod';
import type { Knowledge } from '../../../ingest/knowledge-module.js';
import { LEXICAL_REASONS } from '../../../search/vectors/embedding-target.js';
import { authorizeOn } from '../../../tenancy/policies.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema } from '../../schemas.js';

const statusSchema = z.object({
  retrieval: z.enum(['hybrid', ...Object.values(LEXICAL_REASONS)]),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  dimensions: z.number().int().nullable(),
  generation: z.number().int().nullable(),
  state: z.enum(['building', 'ready']).nullable(),
  chunks: z.number().int(),
  embedded: z.number().int(),
});

/** The company's embedding index: which model, how far built, and what search runs now. */
export function embeddingRoutes(app: ZodApp, knowledge: Knowledge): void {
  app.get(
    '/api/v1/search/embeddings',
    {
      schema: {
        tags: ['search'],
        summary: "The company's embedding model and how many chunks have vectors (company admins)",
        response: { 200: statusSchema, 403: errorSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const tenantId = tenantOf(request);
      if (knowledge.vectors) return knowledge.vectors.retrieval.status(actor, tenantId);
      authorizeOn(actor, 'search.embeddings.read', { tenantId, groupId: actor.groupId }, 'Company');
      return {
        retrieval: LEXICAL_REASONS.noProvider,
        provider: null,
        model: null,
        dimensions: null,
        generation: null,
        state: null,
        chunks: 0,
        embedded: 0,
      };
    },
  );
}
