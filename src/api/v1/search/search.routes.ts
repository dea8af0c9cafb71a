import { z } from 'zod';
import type { Knowledge } from '../../../ingest/knowledge-module.js';
import { MAX_LIMIT } from '../../../search/search-service.js';
import { LEXICAL_REASONS } from '../../../search/vectors/embedding-target.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema } from '../../schemas.js';

const searchQuery = z.object({
  q: z.string().optional().describe('What to look for, in Japanese or English (at most 2,000 characters).'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .optional()
    .describe('Documents to return (default 10).'),
  source: z.string().max(200).optional().describe('Only this source (its id or name).'),
  type: z
    .string()
    .max(200)
    .optional()
    .describe(
      'Only this document type: pdf, docx, xlsx, pptx, eml, html, markdown, csv, text, or a MIME type.',
    ),
  from: z
    .string()
    .max(64)
    .optional()
    .describe('Only documents modified (else indexed) at or after this date or date-time (ISO 8601).'),
  to: z
    .string()
    .max(64)
    .optional()
    .describe('Only documents modified (else indexed) before this date-time; a bare date includes that day.'),
  metadata: z
    .string()
    .max(4_000)
    .optional()
    .describe(
      'Only documents whose metadata contains these pairs: a JSON object, e.g. {"department":"sales"}.',
    ),
});

const countSchema = z.number().int();

const highlightSchema = z.object({ start: z.number().int(), end: z.number().int() });

export const searchResponseSchema = z.object({
  mode: z.enum(['lexical', 'hybrid']),
  retrieval: z.enum(['hybrid', ...Object.values(LEXICAL_REASONS)]),
  engine: z.enum(['pg_textsearch', 'portable']),
  total: z.number().int(),
  totalExact: z.boolean(),
  results: z.array(
    z.object({
      documentId: z.string(),
      title: z.string(),
      uri: z.string(),
      sourceId: z.string(),
      mimeType: z.string().nullable(),
      anchor: z.object({
        page: z.number().optional(),
        sheet: z.string().optional(),
        range: z.string().optional(),
        slide: z.number().optional(),
        heading: z.string().optional(),
      }),
      score: z.number(),
      bm25: z.number(),
      similarity: z.number().nullable(),
      snippet: z.string(),
      highlights: z.array(highlightSchema),
    }),
  ),
  facets: z.object({
    sources: z.array(z.object({ sourceId: z.string(), count: countSchema })),
    types: z.array(z.object({ mimeType: z.string().nullable(), count: countSchema })),
  }),
  notes: z.array(z.string()),
});

/** Search the caller's company: results only from documents the caller may see. */
export function searchRoutes(app: ZodApp, knowledge: Knowledge): void {
  app.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search documents (BM25; vectors join when an embedding provider is configured)',
        description:
          'Snippets are plain text; `highlights` are UTF-16 offsets into `snippet` of the matched terms. Render them as text (e.g. <mark> elements around text nodes), never as HTML.',
        querystring: searchQuery,
        response: { 200: searchResponseSchema, 400: errorSchema, 403: errorSchema },
      },
    },
    async (request) => {
      const service = await knowledge.search();
      return service.search(actorOf(request), tenantOf(request), request.query);
    },
  );
}
