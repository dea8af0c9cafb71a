import { z } from 'zod';
import type { Knowledge } from '../../../ingest/knowledge-module.js';
import {
  MAX_GROUP_TERMS,
  MAX_SYNONYM_GROUPS,
  MAX_TERM_CHARS,
} from '../../../search/synonyms/synonym-service.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema } from '../../schemas.js';

const dictionarySchema = z.object({
  groups: z
    .array(z.array(z.string().max(MAX_TERM_CHARS)).max(MAX_GROUP_TERMS))
    .max(MAX_SYNONYM_GROUPS)
    .describe('Groups of words that mean the same, e.g. [["売上", "売上高", "revenue"]].'),
});

/** The caller's company's synonym dictionary: read by anyone who may search, replaced by an admin. */
export function synonymRoutes(app: ZodApp, knowledge: Knowledge): void {
  app.get(
    '/api/v1/search/synonyms',
    {
      schema: {
        tags: ['search'],
        summary: "The company's search synonyms",
        response: { 200: dictionarySchema, 403: errorSchema },
      },
    },
    async (request) => knowledge.synonyms.get(actorOf(request), tenantOf(request)),
  );
  app.put(
    '/api/v1/search/synonyms',
    {
      schema: {
        tags: ['search'],
        summary: "Replace the company's search synonyms (applied to queries at once; no re-indexing)",
        body: dictionarySchema,
        response: { 200: dictionarySchema, 400: errorSchema, 403: errorSchema },
      },
    },
    async (request) => knowledge.synonyms.replace(actorOf(request), tenantOf(request), request.body.groups),
  );
}
