import { z } from 'zod';
import type { Analytics } from '../../../analytics/analytics-module.js';
import { semanticQuerySchema } from '../../../analytics/query/semantic-query.js';
import { actorOf, tenantOf } from '../../authenticate.js';
import type { ZodApp } from '../../route-types.js';
import { errorSchema } from '../../schemas.js';

const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema, 502: errorSchema, 504: errorSchema };
const row = z.record(z.string(), z.unknown());
const column = z.object({
  name: z.string(),
  label: z.string(),
  role: z.enum(['dimension', 'measure', 'metric']),
  format: z.string(),
  grain: z.string().optional(),
});
const sqlSchema = z.object({ sql: z.string(), params: z.array(z.union([z.string(), z.number()])) });
const resultFields = {
  query: z.unknown(),
  columns: z.array(column),
  rows: z.array(row),
  sql: z.array(sqlSchema),
  truncated: z.boolean(),
  notes: z.array(z.string()),
  from: z.enum(['source', 'rollup']),
  refreshedAt: z.string().optional(),
  modelVersion: z.number(),
};
const askResponse = z.union([
  z.object({
    kind: z.literal('answer'),
    ...resultFields,
    chart: z.record(z.string(), z.unknown()).nullable(),
    narrative: z.string(),
    parser: z.string(),
  }),
  z.object({
    kind: z.literal('clarification'),
    reason: z.string(),
    question: z.string(),
    choices: z.array(z.object({ label: z.string(), value: z.string() })),
    modelVersion: z.number(),
  }),
]);
const modelResponse = z.object({
  version: z.number(),
  yaml: z.string(),
  model: z.record(z.string(), z.unknown()),
  origin: z.enum(['proposed', 'edited']),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});

/** Analytics over the caller's company's databases: questions, semantic queries, the model, tables. */
export function dataRoutes(app: ZodApp, analytics: Analytics): void {
  app.post(
    '/api/v1/data/ask',
    {
      schema: {
        tags: ['data'],
        summary: 'Ask a question in Japanese or English; numbers come from SQL on the company database',
        body: z.object({ question: z.string().min(1).max(1000) }),
        response: { 200: askResponse, ...errors },
      },
    },
    async (request) => analytics.service.ask(actorOf(request), tenantOf(request), request.body.question),
  );
  app.post(
    '/api/v1/data/query',
    {
      schema: {
        tags: ['data'],
        summary: 'Run a semantic query, or (admins) one read-only SELECT checked by the SQL guard',
        body: z.union([
          z.object({ query: semanticQuerySchema }),
          z.object({ sql: z.string().min(1).max(100_000) }),
        ]),
        response: {
          200: z.union([
            z.object(resultFields),
            z.object({
              columns: z.array(z.string()),
              rows: z.array(row),
              truncated: z.boolean(),
              notes: z.array(z.string()),
            }),
          ]),
          ...errors,
        },
      },
    },
    async (request) =>
      'sql' in request.body
        ? analytics.service.runSql(actorOf(request), tenantOf(request), request.body.sql)
        : analytics.service.query(actorOf(request), tenantOf(request), request.body.query),
  );
  app.get(
    '/api/v1/data/model',
    {
      schema: {
        tags: ['data'],
        summary: "The company's semantic model (YAML)",
        response: { 200: modelResponse, ...errors },
      },
    },
    async (request) => analytics.service.getModel(actorOf(request), tenantOf(request)),
  );
  app.put(
    '/api/v1/data/model',
    {
      schema: {
        tags: ['data'],
        summary: 'Save a new version of the semantic model (YAML; problems are reported with line numbers)',
        body: z.object({ yaml: z.string().min(1).max(1_000_000) }),
        response: { 200: modelResponse, ...errors },
      },
    },
    async (request) => analytics.service.setModel(actorOf(request), tenantOf(request), request.body.yaml),
  );
  app.post(
    '/api/v1/data/model/propose',
    {
      schema: {
        tags: ['data'],
        summary: "Draft a semantic model from a database source's schema and a sample of its rows",
        body: z.object({ source: z.string().min(1).max(200) }),
        response: { 201: modelResponse, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await analytics.service.proposeModel(actorOf(request), tenantOf(request), request.body.source)),
  );
  app.get(
    '/api/v1/data/tables',
    {
      schema: {
        tags: ['data'],
        summary: "Tables and columns of the model's database source (or of ?source=)",
        querystring: z.object({ source: z.string().max(200).optional() }),
        response: {
          200: z.object({
            tables: z.array(
              z.object({
                schema: z.string().nullable(),
                name: z.string(),
                kind: z.enum(['table', 'view']),
                columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean() })),
                primaryKey: z.array(z.string()),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      tables: await analytics.service.listTables(actorOf(request), tenantOf(request), request.query.source),
    }),
  );
}
