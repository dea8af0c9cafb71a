import type { TextStreamPart, ToolSet } from 'ai';
import { AppError, NotFoundError } from '../errors/errors.js';
import { callWithRetries, type RetryOptions } from './call-with-retries.js';
import { CircuitBreakers, type BreakerOptions } from './circuit-breaker.js';
import { NoProviderError } from './gateway-errors.js';
import type {
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  EgressGuard,
  EmbedRequest,
  EmbedResult,
  ModelCallContext,
  ModelGateway,
  ModelOperation,
  PiiProtection,
  UsageEvent,
  UsageSink,
} from './model-gateway.js';
import { loadModelSdk, type ModelSdk } from './model-sdk.js';
import { PiiShield } from './pii-shield.js';
import { chatModelOf, embeddingModelOf } from './providers/model-factory.js';
import type { Provider } from './providers/provider.js';
import type { ProviderService, ProviderWithCredentials } from './providers/provider-service.js';

export interface GatewayOptions {
  retry: RetryOptions;
  breaker: BreakerOptions;
  now?: () => number;
}

const toolSet = (sdk: ModelSdk, tools: ChatRequest['tools']): ToolSet | undefined =>
  tools &&
  Object.fromEntries(
    Object.entries(tools).map(([name, t]) => [
      name,
      sdk.tool({ description: t.description, inputSchema: sdk.jsonSchema(t.inputSchema as never) }),
    ]),
  );

/** The settings of one call, every outgoing text already through the company's PII mode. */
const callSettings = (sdk: ModelSdk, request: ChatRequest, shield: PiiShield) => ({
  ...(request.system !== undefined ? { system: shield.protect(request.system) } : {}),
  messages: shield.protectMessages(request.messages),
  ...(request.tools ? { tools: toolSet(sdk, request.tools)!, toolChoice: request.toolChoice ?? 'auto' } : {}),
  ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
  ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  maxRetries: 0,
});

const errorCode = (error: unknown): string => (error instanceof AppError ? error.code : 'internal_error');

/** The ModelGateway over registered providers (see model-gateway.ts for the contract). */
export class ProviderModelGateway implements ModelGateway {
  private readonly breakers: CircuitBreakers;
  private readonly now: () => number;

  constructor(
    private readonly providers: ProviderService,
    private readonly guard: EgressGuard,
    private readonly usage: UsageSink,
    private readonly pii: PiiProtection,
    private readonly options: GatewayOptions,
  ) {
    this.breakers = new CircuitBreakers(options.breaker);
    this.now = options.now ?? Date.now;
  }

  async chatProviderFor(tenantId: string): Promise<Provider | null> {
    return (await this.guard.allowed(tenantId, await this.providers.all()))[0] ?? null;
  }

  async embeddingProviderFor(tenantId: string): Promise<Provider | null> {
    const withEmbeddings = (await this.providers.all()).filter((p) => p.embeddingModel !== null);
    return (await this.guard.allowed(tenantId, withEmbeddings))[0] ?? null;
  }

  async chat(ctx: ModelCallContext, request: ChatRequest): Promise<ChatResult> {
    const provider = await this.admit(ctx, 'chat', request.provider, 'chat');
    const shield = await this.shield(ctx, 'chat', provider, provider.chatModel, request.pseudonyms);
    const sdk = await loadModelSdk();
    const settings = await this.guarded(ctx, 'chat', provider, provider.chatModel, shield, () =>
      callSettings(sdk, request, shield),
    );
    const started = this.now();
    try {
      const result = await callWithRetries(
        provider.name,
        this.breakers,
        this.options.retry,
        (abortSignal) => sdk.generateText({ model: chatModelOf(sdk, provider), ...settings, abortSignal }),
        ctx.signal,
      );
      const usage = {
        inputTokens: result.usage.inputTokens ?? 0,
        outputTokens: result.usage.outputTokens ?? 0,
      };
      await this.meter(ctx, 'chat', provider, provider.chatModel, started, { usage }, shield);
      return {
        text: shield.restore(result.text),
        toolCalls: result.toolCalls.map((c) => ({
          id: c.toolCallId,
          name: c.toolName,
          input: shield.restoreDeep(c.input),
        })),
        finishReason: result.finishReason,
        usage,
        provider: provider.name,
        model: provider.chatModel,
        responseMessages: shield.restoreDeep(result.response.messages),
        pseudonyms: shield.map,
        pii: shield.report(),
      };
    } catch (error) {
      await this.meter(ctx, 'chat', provider, provider.chatModel, started, { error }, shield);
      throw error;
    }
  }

  async *streamChat(ctx: ModelCallContext, request: ChatRequest): AsyncIterable<ChatStreamEvent> {
    const provider = await this.admit(ctx, 'stream', request.provider, 'chat');
    const shield = await this.shield(ctx, 'stream', provider, provider.chatModel, request.pseudonyms);
    const sdk = await loadModelSdk();
    const settings = await this.guarded(ctx, 'stream', provider, provider.chatModel, shield, () =>
      callSettings(sdk, request, shield),
    );
    const restorer = shield.streamRestorer();
    const started = this.now();
    let usage = { inputTokens: 0, outputTokens: 0 };
    try {
      // Retried only until the first part arrives: after that the user has seen output.
      const { first, rest } = await callWithRetries(
        provider.name,
        this.breakers,
        this.options.retry,
        async (abortSignal) => {
          const stream = sdk.streamText({
            model: chatModelOf(sdk, provider),
            ...settings,
            abortSignal,
            onError: () => {},
          });
          const rest = stream.fullStream[Symbol.asyncIterator]();
          const first = await nextMeaningful(rest);
          return { first, rest };
        },
        ctx.signal,
      );
      for (let part = first; part !== undefined; part = await nextMeaningful(rest)) {
        if (part.type === 'text-delta') {
          const text = restorer ? restorer.push(part.text) : part.text;
          if (text) yield { type: 'text-delta', text };
          continue;
        }
        // A placeholder held back at the end of the text is released before anything else.
        const held = restorer?.flush();
        if (held) yield { type: 'text-delta', text: held };
        if (part.type === 'tool-call')
          yield {
            type: 'tool-call',
            toolCall: { id: part.toolCallId, name: part.toolName, input: shield.restoreDeep(part.input) },
          };
        else if (part.type === 'finish') {
          usage = {
            inputTokens: part.totalUsage.inputTokens ?? 0,
            outputTokens: part.totalUsage.outputTokens ?? 0,
          };
          yield {
            type: 'finish',
            finishReason: part.finishReason,
            usage,
            provider: provider.name,
            model: provider.chatModel,
            pseudonyms: shield.map,
            pii: shield.report(),
          };
        }
      }
      const tail = restorer?.flush();
      if (tail) yield { type: 'text-delta', text: tail };
      await this.meter(ctx, 'stream', provider, provider.chatModel, started, { usage }, shield);
    } catch (error) {
      await this.meter(ctx, 'stream', provider, provider.chatModel, started, { error }, shield);
      throw error;
    }
  }

  async embed(ctx: ModelCallContext, request: EmbedRequest): Promise<EmbedResult> {
    const batchSize = Math.max(1, Math.min(request.batchSize ?? 64, 2048));
    let provider: ProviderWithCredentials | undefined;
    const embeddings: number[][] = [];
    let inputTokens = 0;
    let shield: PiiShield | undefined;
    const sdk = await loadModelSdk();
    for (let start = 0; start < request.texts.length || start === 0; start += batchSize) {
      const batch = request.texts.slice(start, start + batchSize);
      if (batch.length === 0) break;
      // Each batch is a request that leaves the process: each is checked and metered.
      provider = await this.admit(ctx, 'embed', request.provider ?? provider?.name, 'embedding');
      const model = provider.embeddingModel!;
      const current = provider;
      shield ??= await this.shield(ctx, 'embed', current, model, request.pseudonyms);
      const batchShield = shield;
      const values = await this.guarded(ctx, 'embed', current, model, shield, () =>
        batch.map((t) => batchShield.protect(t)),
      );
      const started = this.now();
      try {
        const result = await callWithRetries(
          current.name,
          this.breakers,
          this.options.retry,
          (abortSignal) =>
            sdk.embedMany({
              model: embeddingModelOf(sdk, current, model),
              values,
              maxRetries: 0,
              abortSignal,
            }),
          ctx.signal,
        );
        embeddings.push(...result.embeddings);
        inputTokens += result.usage.tokens ?? 0;
        await this.meter(
          ctx,
          'embed',
          current,
          model,
          started,
          { usage: { inputTokens: result.usage.tokens ?? 0, outputTokens: 0 } },
          shield,
        );
      } catch (error) {
        await this.meter(ctx, 'embed', current, model, started, { error }, shield);
        throw error;
      }
    }
    if (!provider) provider = await this.admit(ctx, 'embed', request.provider, 'embedding');
    return {
      embeddings,
      provider: provider.name,
      model: provider.embeddingModel!,
      usage: { inputTokens },
      pii: shield?.report() ?? { mode: 'off', counts: {}, total: 0 },
    };
  }

  /** Resolves the provider and passes it through the egress guard; refusals are metered, then thrown. */
  private async admit(
    ctx: ModelCallContext,
    operation: ModelOperation,
    name: string | undefined,
    need: 'chat' | 'embedding',
  ): Promise<ProviderWithCredentials> {
    const chosen = name
      ? (await this.providers.all()).find((p) => p.name === name)
      : ((need === 'chat'
          ? await this.chatProviderFor(ctx.tenantId)
          : await this.embeddingProviderFor(ctx.tenantId)) ?? undefined);
    if (!chosen) {
      if (name) throw new NotFoundError(`Provider "${name}"`);
      throw new NoProviderError(need);
    }
    if (need === 'embedding' && !chosen.embeddingModel) throw new NoProviderError('embedding');
    const model = need === 'chat' ? chosen.chatModel : chosen.embeddingModel!;
    try {
      await this.guard.check(ctx.tenantId, chosen);
    } catch (error) {
      await this.refused(ctx, operation, chosen, model, error, null);
      throw error;
    }
    const withCredentials = await this.providers.withCredentials(chosen.name);
    if (!withCredentials) throw new NotFoundError(`Provider "${chosen.name}"`);
    return withCredentials;
  }

  /** The call's PII step; a mode that cannot be read refuses the call (fail closed). */
  private async shield(
    ctx: ModelCallContext,
    operation: ModelOperation,
    provider: Provider,
    model: string,
    map: ChatRequest['pseudonyms'],
  ): Promise<PiiShield> {
    try {
      return await PiiShield.open(this.pii, ctx.tenantId, map);
    } catch (error) {
      await this.refused(ctx, operation, provider, model, error, null);
      throw error;
    }
  }

  /** Builds what will be sent; a `block` refusal (pii_blocked) is metered with the counts found. */
  private async guarded<T>(
    ctx: ModelCallContext,
    operation: ModelOperation,
    provider: Provider,
    model: string,
    shield: PiiShield,
    build: () => T,
  ): Promise<T> {
    try {
      return build();
    } catch (error) {
      await this.refused(ctx, operation, provider, model, error, shield.meteredCounts());
      throw error;
    }
  }

  private refused(
    ctx: ModelCallContext,
    operation: ModelOperation,
    provider: Provider,
    model: string,
    error: unknown,
    piiCounts: UsageEvent['piiCounts'],
  ): Promise<void> {
    return this.usage.record({
      ...this.baseEvent(ctx, operation, provider, model),
      outcome: 'refused',
      errorCode: errorCode(error),
      detail: (error as Error).message,
      piiCounts,
    });
  }

  private baseEvent(ctx: ModelCallContext, operation: ModelOperation, provider: Provider, model: string) {
    return {
      tenantId: ctx.tenantId,
      userId: ctx.userId,
      purpose: ctx.purpose,
      operation,
      provider: provider.name,
      model,
      region: provider.region,
      tokensIn: 0,
      tokensOut: 0,
      latencyMs: 0,
    };
  }

  private meter(
    ctx: ModelCallContext,
    operation: ModelOperation,
    provider: Provider,
    model: string,
    started: number,
    result: { usage: { inputTokens: number; outputTokens: number } } | { error: unknown },
    shield: PiiShield,
  ): Promise<void> {
    const base = {
      ...this.baseEvent(ctx, operation, provider, model),
      latencyMs: Math.round(this.now() - started),
      piiCounts: shield.meteredCounts(),
    };
    return this.usage.record(
      'usage' in result
        ? {
            ...base,
            tokensIn: result.usage.inputTokens,
            tokensOut: result.usage.outputTokens,
            outcome: 'ok',
            errorCode: null,
            detail: null,
          }
        : {
            ...base,
            outcome: 'error',
            errorCode: errorCode(result.error),
            detail: (result.error as Error).message.slice(0, 500),
          },
    );
  }
}

type StreamPart = TextStreamPart<ToolSet>;
type MeaningfulPart = Extract<StreamPart, { type: 'text-delta' | 'tool-call' | 'finish' }>;

/** The next part a caller cares about; an error part becomes a thrown error (so it can be retried). */
async function nextMeaningful(iterator: AsyncIterator<StreamPart>): Promise<MeaningfulPart | undefined> {
  for (;;) {
    const { value: part, done } = await iterator.next();
    if (done) return undefined;
    if (part.type === 'error') throw part.error;
    if (part.type === 'abort') throw new Error('the model call was aborted');
    if (part.type === 'text-delta' || part.type === 'tool-call' || part.type === 'finish') return part;
  }
}
