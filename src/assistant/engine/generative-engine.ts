import type { PseudonymMap } from '../../governance/pii/index.js';
import type {
  ModelCallContext,
  ModelGateway,
  ModelMessage,
  ToolCall,
} from '../../platform/llm/model-gateway.js';
import type { Passage } from '../../search/search-service.js';
import { notFoundMessage } from '../language.js';
import type { AnswerEngine, AnswerEvent, AnswerRequest } from './answer-engine.js';
import { CitationMarkers } from './citation-markers.js';
import { AnswerToolRunner, answerTools } from './answer-tools.js';
import { assembleContext } from './context-assembly.js';
import { CONTEXT_TOKEN_BUDGET } from './context-budget.js';
import { groundedSystemPrompt, groundedUserMessage, rewriteSystemPrompt } from './grounded-prompt.js';

/** Passages retrieved before the budget picks what goes into the prompt. */
export const GENERATIVE_PASSAGES = 12;
const HISTORY_FOR_REWRITE = 6;
/** Model rounds that may call tools; the round after them must answer (tools offered, choice 'none'). */
export const MAX_TOOL_ROUNDS = 3;
/** Tool calls of one round that are run; more are answered with an error the model can read. */
const MAX_CALLS_PER_ROUND = 4;

export interface GenerativeOptions {
  /** Pin the provider (the assistant names the company's default; the gateway still checks it). */
  provider?: string | undefined;
  contextTokens?: number;
  maxOutputTokens?: number;
  /** Tool rounds allowed (default MAX_TOOL_ROUNDS); 0 offers no tools. */
  toolRounds?: number;
}

/**
 * Answers through the model gateway, grounded in what the caller may see: the follow-up question is
 * rewritten with the conversation into one that stands alone, the caller's retrieval finds passages,
 * the budget keeps a diverse few, the prompt sets them apart as data, and the streamed answer's
 * [n] markers are checked against those sources (others dropped) and become citations. Residency
 * and PII are the gateway's: a refusal is thrown as is, and the conversation's pseudonym map keeps
 * placeholders stable across turns.
 */
export class GenerativeEngine implements AnswerEngine {
  readonly mode = 'generative' as const;

  constructor(
    private readonly gateway: ModelGateway,
    private readonly ctx: Omit<ModelCallContext, 'signal'>,
    private readonly options: GenerativeOptions = {},
  ) {}

  async *answer(request: AnswerRequest): AsyncIterable<AnswerEvent> {
    const ctx: ModelCallContext = { ...this.ctx, ...(request.signal ? { signal: request.signal } : {}) };
    const query = await this.standalone(ctx, request);
    const passages = await request.retrieval.passages(query, GENERATIVE_PASSAGES);
    if (request.signal?.aborted) return;
    const context = assembleContext(
      await withNeighbours(passages, request),
      this.options.contextTokens ?? CONTEXT_TOKEN_BUDGET,
    );
    if (context.passages.length === 0) {
      yield { type: 'text', delta: notFoundMessage(request.language) };
      yield { type: 'done', mode: this.mode, found: false };
      return;
    }
    // The answer's numbered sources: the context first, then what search_documents calls add.
    const sources = [...context.passages];
    const markers = new CitationMarkers(sources.length);
    const tools = answerTools(request);
    const runner = new AnswerToolRunner(request, sources);
    const rounds = this.options.toolRounds ?? MAX_TOOL_ROUNDS;
    const messages: ModelMessage[] = [
      { role: 'user', content: groundedUserMessage(request.question, context.blocks) },
    ];
    // Each round is its own gateway call: residency, PII, metering and audit apply to every one.
    for (let round = 0; ; round += 1) {
      const mayCall = round < rounds;
      const calls: ToolCall[] = [];
      const stream = this.gateway.streamChat(ctx, {
        ...(this.options.provider ? { provider: this.options.provider } : {}),
        system: groundedSystemPrompt(request.language),
        messages,
        ...(rounds > 0 ? { tools, toolChoice: mayCall ? ('auto' as const) : ('none' as const) } : {}),
        maxOutputTokens: this.options.maxOutputTokens ?? 1_024,
        temperature: 0,
        ...pseudonyms(request.pseudonyms),
      });
      for await (const event of stream) {
        if (event.type === 'text-delta') yield* emit(markers.push(event.text), sources);
        else if (event.type === 'tool-call') calls.push(event.toolCall);
      }
      if (!mayCall || calls.length === 0 || request.signal?.aborted) break;
      messages.push(
        {
          role: 'assistant',
          content: calls.map((c) => ({
            type: 'tool-call' as const,
            toolCallId: c.id,
            toolName: c.name,
            input: c.input,
          })),
        },
        {
          role: 'tool',
          content: await Promise.all(
            calls.map(async (c, i) => ({
              type: 'tool-result' as const,
              toolCallId: c.id,
              toolName: c.name,
              output: {
                type: 'text' as const,
                value:
                  i < MAX_CALLS_PER_ROUND
                    ? await runner.run(c)
                    : `<error>At most ${MAX_CALLS_PER_ROUND} tool calls per round.</error>`,
              },
            })),
          ),
        },
      );
      markers.allow(sources.length);
    }
    yield* emit(markers.flush(), sources);
    yield { type: 'done', mode: this.mode, found: markers.citedCount > 0 };
  }

  /** The question as retrieval should search it: a follow-up rewritten with the conversation. */
  private async standalone(ctx: ModelCallContext, request: AnswerRequest): Promise<string> {
    if (request.history.length === 0) return request.question;
    const history: ModelMessage[] = request.history
      .slice(-HISTORY_FOR_REWRITE)
      .map((turn) => ({ role: turn.role, content: turn.content }));
    const rewritten = await this.gateway.chat(ctx, {
      ...(this.options.provider ? { provider: this.options.provider } : {}),
      system: rewriteSystemPrompt(),
      messages: [...history, { role: 'user', content: request.question }],
      maxOutputTokens: 200,
      temperature: 0,
      ...pseudonyms(request.pseudonyms),
    });
    const text = rewritten.text.trim();
    return text === '' ? request.question : text;
  }
}

/** Best passages whose neighbouring chunks join the context (budget permitting, after every document's best). */
const EXPANDED_PASSAGES = 3;

/** The ranked passages with the chunks around the best few inserted right after each of them. */
async function withNeighbours(passages: Passage[], request: AnswerRequest): Promise<Passage[]> {
  if (!request.retrieval.neighbours || passages.length === 0) return passages;
  const top = passages.slice(0, EXPANDED_PASSAGES);
  const around = await request.retrieval.neighbours(top);
  const out: Passage[] = [];
  const taken = new Set<string>();
  const add = (p: Passage) => {
    const key = `${p.documentId}/${p.ordinal}`;
    if (taken.has(key)) return;
    taken.add(key);
    out.push(p);
  };
  for (const p of passages) {
    add(p);
    if (top.includes(p))
      for (const n of around)
        if (n.documentId === p.documentId && Math.abs(n.ordinal - p.ordinal) === 1) add(n);
  }
  return out;
}

const pseudonyms = (map: PseudonymMap | undefined) => (map ? { pseudonyms: map } : {});

function* emit(
  scanned: ReturnType<CitationMarkers['push']>,
  sources: readonly Passage[],
): Generator<AnswerEvent> {
  for (const { source, n } of scanned.firstCited) {
    const p = sources[source - 1]!;
    yield {
      type: 'citation',
      citation: {
        n,
        documentId: p.documentId,
        title: p.title,
        uri: p.uri,
        anchor: p.anchor,
        quote: p.text,
        chunkOrdinal: p.ordinal,
      },
    };
  }
  if (scanned.text !== '') yield { type: 'text', delta: scanned.text };
}
