import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 speaking the OpenAI protocol (Chat Completions, streamed or not,
 * tool calls, embeddings, model list), answering from a script and recording every request it
 * receives — so tests assert on what actually left the process, never on a mocked module.
 *
 *   const server = await startScriptedOpenAiServer();
 *   server.enqueue({ status: 429 }, { text: 'こんにちは' });  // first a 429, then an answer
 *   … register a provider with baseUrl server.url …
 *   expect(server.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(2);
 *
 * Paths match by suffix, so OpenAI (`/v1/chat/completions`), Azure (`/openai/v1/chat/completions`)
 * and compatible servers all reach the same handlers.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined for GET). */
  body: OpenAiRequestBody | undefined;
  /** The raw body text: assert that a value never left the process. */
  rawBody: string;
  /** Set when the caller closed the connection before a streamed answer was complete. */
  abandoned?: boolean;
}

/** The fields of a Chat Completions or Embeddings request body that tests look at. */
export interface OpenAiRequestBody {
  model?: string;
  stream?: boolean;
  messages?: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  input?: string | string[];
  [field: string]: unknown;
}

export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** One reply: an error status, or a chat answer (text and/or tool calls); embeddings are generated. */
export interface ScriptedReply {
  /** Answer with this HTTP status and an OpenAI-style error body (429, 500, …). */
  status?: number;
  headers?: Record<string, string>;
  text?: string;
  toolCalls?: ScriptedToolCall[];
  usage?: { promptTokens: number; completionTokens: number };
  /** Wait this long before answering (slow provider; timeouts). */
  delayMs?: number;
  /** Streaming: wait this long before each text piece (a slow model; a client leaving mid-stream). */
  pieceDelayMs?: number;
  /** Streaming: break the connection after this many text pieces (a provider failing mid-stream). */
  failAfterPieces?: number;
  /** Embeddings: the vectors to return (default: a deterministic 8-dimension vector per input). */
  embeddings?: number[][];
}

export type ReplyScript = (request: RecordedRequest) => ScriptedReply;

export interface ScriptedOpenAiServer {
  /** Base URL to register as a provider's base URL, e.g. http://127.0.0.1:41234/v1 */
  url: string;
  /** Origin without /v1 (Azure-style providers add their own path). */
  origin: string;
  requests: RecordedRequest[];
  /** Replies used in order, one per request to chat or embeddings; then the script (or defaults). */
  enqueue(...replies: ScriptedReply[]): void;
  script(fn: ReplyScript | undefined): void;
  /** Requests to the model endpoints (chat and embeddings), in order. */
  modelRequests(): RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

export function fakeEmbedding(text: string, dimensions = 8): number[] {
  const digest = createHash('sha256').update(text).digest();
  return Array.from({ length: dimensions }, (_, i) => (digest[i]! - 128) / 128);
}

export async function startScriptedOpenAiServer(): Promise<ScriptedOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  let script: ReplyScript | undefined;
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0]!;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: rawBody ? (JSON.parse(rawBody) as OpenAiRequestBody) : undefined,
      rawBody,
    };
    requests.push(recorded);
    if (req.method === 'GET' && path.endsWith('/models')) {
      return json(res, 200, {
        object: 'list',
        data: [{ id: 'scripted-chat', object: 'model', owned_by: 'kura-test' }],
      });
    }
    const isChat = req.method === 'POST' && path.endsWith('/chat/completions');
    const isEmbed = req.method === 'POST' && path.endsWith('/embeddings');
    if (!isChat && !isEmbed) return json(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    const reply = queue.shift() ?? script?.(recorded) ?? {};
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    if (reply.status && reply.status >= 400) {
      return json(
        res,
        reply.status,
        {
          error: { message: `scripted ${reply.status}`, type: 'scripted_error', code: String(reply.status) },
        },
        reply.headers,
      );
    }
    if (isEmbed) return embeddings(res, recorded.body, reply);
    if (recorded.body?.stream) return streamChat(res, recorded, reply);
    return chat(res, recorded.body, reply);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    script: (fn) => void (script = fn),
    modelRequests: () => requests.filter((r) => r.method === 'POST'),
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      script = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const usageOf = (reply: ScriptedReply) => ({
  prompt_tokens: reply.usage?.promptTokens ?? 11,
  completion_tokens: reply.usage?.completionTokens ?? 7,
  total_tokens: (reply.usage?.promptTokens ?? 11) + (reply.usage?.completionTokens ?? 7),
});

const toolCallsOf = (reply: ScriptedReply) =>
  reply.toolCalls?.map((call, index) => ({
    id: call.id ?? `call_${index + 1}`,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));

function chat(res: ServerResponse, body: OpenAiRequestBody | undefined, reply: ScriptedReply): void {
  const toolCalls = toolCallsOf(reply);
  json(res, 200, {
    id: 'chatcmpl-scripted',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body?.model ?? 'scripted',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: toolCalls && reply.text === undefined ? null : (reply.text ?? 'scripted answer'),
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: toolCalls ? 'tool_calls' : 'stop',
      },
    ],
    usage: usageOf(reply),
  });
}

async function streamChat(
  res: ServerResponse,
  recorded: RecordedRequest,
  reply: ScriptedReply,
): Promise<void> {
  const body = recorded.body;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.on('close', () => {
    if (!res.writableFinished) recorded.abandoned = true;
  });
  const base = {
    id: 'chatcmpl-scripted',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: body?.model ?? 'scripted',
  };
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  const toolCalls = toolCallsOf(reply);
  send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  const text = toolCalls && reply.text === undefined ? '' : (reply.text ?? 'scripted answer');
  // Two or three pieces, so clients see more than one delta.
  let sent = 0;
  for (const piece of text.match(/.{1,8}/gsu) ?? []) {
    if (reply.failAfterPieces !== undefined && sent >= reply.failAfterPieces) {
      // Let what was written reach the client first: it fails after seeing part of the answer.
      await new Promise((resolve) => res.write(': breaking\n\n', resolve));
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.destroy();
      return;
    }
    if (reply.pieceDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.pieceDelayMs));
    if (res.destroyed) return;
    send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
    sent += 1;
  }
  toolCalls?.forEach((call, index) =>
    send({
      ...base,
      choices: [{ index: 0, delta: { tool_calls: [{ index, ...call }] }, finish_reason: null }],
    }),
  );
  send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: toolCalls ? 'tool_calls' : 'stop' }] });
  send({ ...base, choices: [], usage: usageOf(reply) });
  res.end('data: [DONE]\n\n');
}

function embeddings(res: ServerResponse, body: OpenAiRequestBody | undefined, reply: ScriptedReply): void {
  const inputs: string[] = Array.isArray(body?.input) ? body.input : [String(body?.input)];
  json(res, 200, {
    object: 'list',
    model: body?.model ?? 'scripted-embedding',
    data: inputs.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: reply.embeddings?.[index] ?? fakeEmbedding(String(text)),
    })),
    usage: { prompt_tokens: inputs.length * 3, total_tokens: inputs.length * 3 },
  });
}
