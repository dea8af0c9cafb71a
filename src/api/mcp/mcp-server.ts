import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Analytics } from '../../analytics/analytics-module.js';
import type { Assistant } from '../../assistant/assistant-module.js';
import type { Knowledge } from '../../ingest/knowledge-module.js';
import { AppError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';

const asText = (value: unknown) => ({
  content: [{ type: 'text' as const, text: JSON.stringify(value, null, 2) }],
  structuredContent: value as Record<string, unknown>,
});

/** A typed error becomes a tool error the agent can read (its stable code and message), not a crash. */
async function tool<T>(run: () => Promise<T>) {
  try {
    return asText(await run());
  } catch (error) {
    if (!(error instanceof AppError) || !error.expose) throw error;
    return {
      content: [{ type: 'text' as const, text: `${error.code}: ${error.message}` }],
      isError: true,
    };
  }
}

/**
 * The MCP tools of one caller: the server is built per request for the authenticated API key, so
 * every tool runs with that key's company and document permissions.
 */
export function buildMcpServer(
  actor: Actor,
  tenantId: string,
  knowledge: Knowledge,
  assistant: Assistant,
  analytics: Pick<Analytics, 'service'>,
): McpServer {
  const server = new McpServer({ name: 'kura', version: '1.0.0' });
  server.registerTool(
    'search_documents',
    {
      title: 'Search documents',
      description:
        "Search the company's documents (Japanese or English). Returns the best documents with a snippet and where in the document it is.",
      inputSchema: {
        query: z.string().describe('What to look for'),
        limit: z.number().int().min(1).max(50).optional().describe('Documents to return (default 10)'),
      },
      annotations: { readOnlyHint: true },
    },
    ({ query, limit }) =>
      tool(async () => {
        const response = await (await knowledge.search()).search(actor, tenantId, { q: query, limit });
        return {
          total: response.total,
          results: response.results.map((r) => ({
            documentId: r.documentId,
            title: r.title,
            uri: r.uri,
            anchor: r.anchor,
            score: r.score,
            snippet: r.snippet,
          })),
        };
      }),
  );
  server.registerTool(
    'get_document',
    {
      title: 'Get a document',
      description:
        "A document's text (the passages you may read), by the documentId search_documents returned.",
      inputSchema: { documentId: z.string().describe('The document id') },
      annotations: { readOnlyHint: true },
    },
    ({ documentId }) => tool(() => assistant.documents.read(actor, tenantId, documentId)),
  );
  server.registerTool(
    'ask',
    {
      title: 'Ask',
      description:
        "Ask a question about the company's documents. Returns an answer with [n] citations (documentId, title, uri, anchor, quote), or found=false when the documents do not answer it.",
      inputSchema: { question: z.string().describe('The question, in Japanese or English') },
      annotations: { readOnlyHint: true },
    },
    ({ question }) =>
      tool(async () => {
        const result = await assistant.ask.ask(actor, tenantId, { question, store: false });
        return { answer: result.answer, mode: result.mode, found: result.found, citations: result.citations };
      }),
  );
  server.registerTool(
    'query_data',
    {
      title: 'Query data',
      description:
        "Ask the company's business databases a question in natural language (Japanese or English, e.g. 2024年度の地域別売上と前年比). Returns columns, rows and a narrative computed by guarded read-only SQL (the statements are included), or a clarification with choices when the question is ambiguous.",
      inputSchema: { question: z.string().describe('The data question') },
      annotations: { readOnlyHint: true },
    },
    ({ question }) =>
      tool(async () => {
        const response = await analytics.service.ask(actor, tenantId, question);
        if (response.kind !== 'answer') return response;
        const { chart: _chart, ...rest } = response;
        return rest;
      }),
  );
  return server;
}
