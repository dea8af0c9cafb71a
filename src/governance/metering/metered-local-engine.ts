import type { AnswerEngine, AnswerEvent, AnswerRequest } from '../../assistant/engine/answer-engine.js';
import type { EngineScope } from '../../assistant/engine/engine-selector.js';
import type { UsageSink } from '../../platform/llm/model-gateway.js';

/**
 * Kura's offline extractive engine as a "model" of the usage report: provider `kura`, model
 * `extractive`, region `local`, priced at ¥0 (price-table.ts). It sends nothing anywhere and uses no
 * model tokens, so its answers are metered as requests with 0 tokens: chargeback then shows how much
 * each company used the assistant, honestly at no model cost.
 */
export const LOCAL_ENGINE = { provider: 'kura', model: 'extractive', region: 'local' } as const;

type EngineSelector = (scope: EngineScope, extractive: AnswerEngine) => Promise<AnswerEngine>;

/** Wraps the engine choice: when the extractive engine answers, each finished answer is metered. */
export function meterLocalAnswers(select: EngineSelector, usage: UsageSink): EngineSelector {
  return async (scope, extractive) => {
    const engine = await select(scope, extractive);
    return engine === extractive ? new MeteredLocalEngine(engine, scope, usage) : engine;
  };
}

class MeteredLocalEngine implements AnswerEngine {
  readonly mode;

  constructor(
    private readonly inner: AnswerEngine,
    private readonly scope: EngineScope,
    private readonly usage: UsageSink,
  ) {
    this.mode = inner.mode;
  }

  async *answer(request: AnswerRequest): AsyncIterable<AnswerEvent> {
    const started = Date.now();
    for await (const event of this.inner.answer(request)) {
      if (event.type === 'done') {
        // Metering must never cost the user an answer: a failed insert leaves the answer intact.
        await this.usage
          .record({
            tenantId: this.scope.tenantId,
            userId: this.scope.userId,
            purpose: 'assistant.answer',
            operation: 'chat',
            ...LOCAL_ENGINE,
            tokensIn: 0,
            tokensOut: 0,
            latencyMs: Date.now() - started,
            outcome: 'ok',
            errorCode: null,
            detail: null,
          })
          .catch(() => undefined);
      }
      yield event;
    }
  }
}
