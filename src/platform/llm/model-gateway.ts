/**
 * The model gateway: the only way Kura's code reaches a model provider.
 *
 *   const provider = await gateway.chatProviderFor(tenantId);       // null: none allowed → offline mode
 *   const answer = await gateway.chat(ctx, { messages, tools });     // one round; toolCalls to run
 *   for await (const event of gateway.streamChat(ctx, { messages })) …  // text-delta | tool-call | finish
 *   const { embeddings } = await gateway.embed(ctx, { texts });       // batched
 *
 * `ctx` names the company, the user and the purpose (e.g. 'assistant.answer', 'search.embed').
 * Before any byte leaves, every call — each chat, stream, embedding batch and each tool-call round
 * (the caller sends the tool results back with another `chat`) — is checked against the company's
 * residency policy; a refusal throws code `residency_violation` (403) naming provider and region.
 * Then every outgoing text (system prompt, messages, tool calls and results, embedding inputs) passes
 * the company's PII mode: off → as is; detect → counted in the usage event; pseudonymize → values
 * replaced by the conversation's placeholders (`request.pseudonyms`, or a fresh map returned in the
 * result) and restored in the answer; block → `pii_blocked` and nothing is sent.
 * Every call and refusal is metered (usage_events). Calls time out, retry with backoff on
 * 429/5xx/network errors, and a failing provider's circuit opens (`provider_unavailable`).
 */
import type { ModelMessage } from 'ai';
import type { PiiGuard, PiiMode, PiiReport, PiiType, PseudonymMap } from '../../governance/pii/index.js';
import type { Provider } from './providers/provider.js';

export type { ModelMessage } from 'ai';

export interface ModelCallContext {
  tenantId: string;
  /** The person (or API key) the call is for; null for background work. */
  userId: string | null;
  /** Why the call is made, for metering and audit: 'assistant.answer', 'search.embed', … */
  purpose: string;
  signal?: AbortSignal;
}

export interface ToolDefinition {
  description: string;
  /** JSON Schema of the tool's input object. */
  inputSchema: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface ChatRequest {
  /** A registered provider's name; default: the first one the company's policy allows. */
  provider?: string;
  system?: string;
  messages: ModelMessage[];
  tools?: Record<string, ToolDefinition>;
  toolChoice?: 'auto' | 'none' | 'required';
  maxOutputTokens?: number;
  temperature?: number;
  /** The conversation's placeholders (stable across turns); default: a fresh map, returned in the result. */
  pseudonyms?: PseudonymMap;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResult {
  text: string;
  toolCalls: ToolCall[];
  finishReason: string;
  usage: TokenUsage;
  provider: string;
  model: string;
  /** The assistant's messages of this round, to append before sending tool results back. */
  responseMessages: ModelMessage[];
  /** The map the request was pseudonymised with (the caller's, or a fresh one). */
  pseudonyms: PseudonymMap;
  /** What personal data the request held (types and counts; never values). */
  pii: PiiReport;
}

export type ChatStreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | {
      type: 'finish';
      finishReason: string;
      usage: TokenUsage;
      provider: string;
      model: string;
      pseudonyms: PseudonymMap;
      pii: PiiReport;
    };

export interface EmbedRequest {
  provider?: string;
  texts: string[];
  /** Texts per request; default 64. */
  batchSize?: number;
  pseudonyms?: PseudonymMap;
}

export interface EmbedResult {
  embeddings: number[][];
  provider: string;
  model: string;
  usage: { inputTokens: number };
  pii: PiiReport;
}

export interface ModelGateway {
  /** The provider chat calls of this company go to by default; null when its policy allows none. */
  chatProviderFor(tenantId: string): Promise<Provider | null>;
  embeddingProviderFor(tenantId: string): Promise<Provider | null>;
  chat(ctx: ModelCallContext, request: ChatRequest): Promise<ChatResult>;
  streamChat(ctx: ModelCallContext, request: ChatRequest): AsyncIterable<ChatStreamEvent>;
  embed(ctx: ModelCallContext, request: EmbedRequest): Promise<EmbedResult>;
}

export type ModelOperation = 'chat' | 'stream' | 'embed';

/** Decides, before anything is sent, whether a company's data may go to a provider (src/governance). */
export interface EgressGuard {
  /** Throws (code residency_violation) unless allowed; anything it cannot evaluate refuses. */
  check(tenantId: string, provider: Provider): Promise<void>;
  /** The providers of the list this company may use, in the list's order. */
  allowed(tenantId: string, providers: Provider[]): Promise<Provider[]>;
}

/** One record per model call or refusal (src/governance/metering). */
export interface UsageEvent {
  tenantId: string;
  userId: string | null;
  purpose: string;
  operation: ModelOperation;
  provider: string;
  model: string;
  region: string;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  outcome: 'ok' | 'error' | 'refused';
  errorCode: string | null;
  detail: string | null;
  /** Personal data found in what was sent (detect, pseudonymize) or refused (block): counts only. */
  piiCounts?: Partial<Record<PiiType, number>> | null;
}

export interface UsageSink {
  record(event: UsageEvent): Promise<void>;
}

/** The company's PII mode and the guard that applies it (src/governance); the guard loads on first use. */
export interface PiiProtection {
  /** Throws when the mode cannot be read: a call that cannot be evaluated does not leave. */
  modeFor(tenantId: string): Promise<PiiMode>;
  guard(): Promise<PiiGuard>;
}
