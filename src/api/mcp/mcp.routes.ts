import type { Analytics } from '../../analytics/analytics-module.js';
import type { Assistant } from '../../assistant/assistant-module.js';
import type { Knowledge } from '../../ingest/knowledge-module.js';
import { UnauthenticatedError } from '../../platform/errors/errors.js';
import { actorOf, tenantOf } from '../authenticate.js';
import type { ZodApp } from '../route-types.js';

/**
 * The Model Context Protocol endpoint for agents (Streamable HTTP, stateless: each POST carries its
 * own bearer API key and gets its own server bound to that key). GET and DELETE (server-initiated
 * streams, sessions) are not offered in stateless mode and answer 405.
 */
export function mcpRoutes(
  app: ZodApp,
  knowledge: Knowledge,
  assistant: Assistant,
  analytics: Pick<Analytics, 'service'>,
): void {
  app.post('/mcp', { schema: { hide: true } }, async (request, reply) => {
    const actor = actorOf(request);
    if (actor.kind !== 'api_key')
      throw new UnauthenticatedError('Use "Authorization: Bearer <Kura API key>".', 'invalid_api_key');
    // The MCP SDK (≈0.2 s to load) loads with the first MCP request, not with every server start.
    const [{ StreamableHTTPServerTransport }, { buildMcpServer }] = await Promise.all([
      import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
      import('./mcp-server.js'),
    ]);
    const server = buildMcpServer(actor, tenantOf(request), knowledge, assistant, analytics);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: '/mcp',
      schema: { hide: true },
      handler: async (_request, reply) =>
        reply
          .status(405)
          .header('allow', 'POST')
          .send({
            error: { code: 'method_not_allowed', message: 'This MCP server is stateless: POST only.' },
          }),
    });
  }
}
