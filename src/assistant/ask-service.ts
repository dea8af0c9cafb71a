import type { Passage, SearchService } from '../search/search-service.js';
import type { Actor } from '../tenancy/actor.js';
import { authorizeOn } from '../tenancy/policies.js';
import { AppError, NotFoundError } from '../platform/errors/errors.js';
import type { ConversationPseudonyms } from './conversations/conversation-pseudonyms.js';
import type { EngineScope } from './engine/engine-selector.js';
import type { AnswerEngine, AnswerMode, Citation, HistoryTurn, Retrieval } from './engine/answer-engine.js';
import type { ConversationRepository } from './conversations/conversation-repository.js';
import { ownerOf } from './conversations/conversation-service.js';
import type { DataAccessFor } from './data-questions.js';
import type { DocumentReader } from './document-reader.js';
import { languageOf } from './language.js';
import { titleFrom, validateQuestion } from './question.js';

export interface AskInput {
  question: string;
  /** Continue this conversation (the caller's own); a new one starts otherwise. */
  conversationId?: string | undefined;
  /** Earlier turns given by the client (OpenAI-style requests carry their own history). */
  history?: readonly HistoryTurn[] | undefined;
  /** Keep the turn in a conversation (default true; the operator's CLI never keeps one). */
  store?: boolean | undefined;
}

export type AskEvent =
  | { type: 'text'; delta: string }
  | { type: 'citation'; citation: Citation }
  | {
      type: 'done';
      mode: AnswerMode;
      found: boolean;
      conversationId: string | null;
      messageId: string | null;
    }
  | {
      type: 'error';
      code: string;
      message: string;
      status?: number;
      /** Where the partial answer was kept (status incomplete), when one was. */
      conversationId?: string;
      messageId?: string;
    };

export interface AskResult {
  answer: string;
  mode: AnswerMode;
  found: boolean;
  citations: Citation[];
  conversationId: string | null;
  messageId: string | null;
}

/** A question checked and authorised, ready to stream; nothing is stored until its answer is complete. */
export interface AskTurn {
  events(signal?: AbortSignal): AsyncGenerator<AskEvent>;
}

const HISTORY_TURNS = 6;

/**
 * Asks a question on behalf of a caller: the engine sees only the caller's retrieval, every citation
 * it emits is checked against the passages it actually retrieved (a citation of anything else is
 * dropped, its title and location taken from the passage, never from the engine), and the finished
 * turn is stored in the caller's conversation.
 */
export class AskService {
  constructor(
    private readonly search: () => Promise<SearchService>,
    private readonly conversations: ConversationRepository,
    private readonly engine: (scope: EngineScope) => Promise<AnswerEngine>,
    /** Where a conversation's pseudonym map is kept (sealed); without it each turn starts afresh. */
    private readonly pseudonyms?: ConversationPseudonyms,
    /** The caller's `query_data` (the analytics service); without it the tool is not offered. */
    private readonly data?: DataAccessFor,
    /** Reads the chunks next to retrieved ones (context expansion), under the same ACL as search. */
    private readonly documents?: DocumentReader,
  ) {}

  /** Validates and authorises before anything streams: bad input and unknown conversations throw here. */
  async start(actor: Actor, tenantId: string, input: AskInput): Promise<AskTurn> {
    authorizeOn(actor, 'assistant.ask', { tenantId, groupId: actor.groupId }, 'Company');
    const question = validateQuestion(input.question);
    const owner = input.store === false ? null : ownerOf(actor);
    let history: readonly HistoryTurn[] = input.history ?? [];
    if (input.conversationId !== undefined) {
      const conversation = owner
        ? await this.conversations.find(tenantId, owner, input.conversationId)
        : undefined;
      if (!conversation) throw new NotFoundError('Conversation');
      history = await this.conversations.history(tenantId, conversation.id, HISTORY_TURNS);
    }
    const pseudonymStore = this.pseudonyms;
    // Independent look-ups before the first token: started together (time to first token).
    const [search, engine, pseudonyms] = await Promise.all([
      this.search(),
      this.engine({ tenantId, userId: actor.kind === 'operator' ? null : actor.id }),
      pseudonymStore?.load(tenantId, input.conversationId).then((map) => map ?? undefined),
    ]);
    const data = engine.mode === 'generative' && this.data ? await this.data(actor, tenantId) : undefined;
    const conversations = this.conversations;
    const documents = this.documents;
    return {
      async *events(signal?: AbortSignal): AsyncGenerator<AskEvent> {
        const seen = new Map<string, Passage>();
        const retrieval: Retrieval = {
          async passages(query, limit) {
            const found = await search.passages(actor, tenantId, { q: query.slice(0, 2_000), limit });
            for (const p of found) seen.set(`${p.documentId}/${p.ordinal}`, p);
            return found;
          },
          async neighbours(of) {
            if (!documents) return [];
            const found = await documents.neighbours(actor, tenantId, of);
            for (const p of found) seen.set(`${p.documentId}/${p.ordinal}`, p);
            return found;
          },
        };
        let text = '';
        const citations: Citation[] = [];
        let done: { mode: AnswerMode; found: boolean } | undefined;
        try {
          const stream = engine.answer({
            question,
            language: languageOf(question),
            history,
            retrieval,
            data,
            signal,
            pseudonyms,
          });
          for await (const event of stream) {
            if (signal?.aborted) return;
            if (event.type === 'text') {
              text += event.delta;
              yield event;
            } else if (event.type === 'citation') {
              const valid = validCitation(event.citation, seen, citations);
              if (valid) {
                citations.push(valid);
                yield { type: 'citation', citation: valid };
              }
            } else done = { mode: event.mode, found: event.found };
          }
          if (!done) throw new Error('the answer engine ended without finishing its answer');
        } catch (error) {
          if (signal?.aborted) return;
          const kept =
            owner && text !== ''
              ? await store(owner, {
                  content: text,
                  mode: engine.mode,
                  found: true,
                  status: 'incomplete',
                  citations,
                })
              : null;
          // A refusal before any text (residency_violation, pii_blocked, no provider) reaches the
          // caller as itself; a failure part-way is answer_failed with the partial text kept
          // (status incomplete) and named, so the client can show it as such.
          yield text === '' && error instanceof AppError && error.expose
            ? { type: 'error', code: error.code, message: error.message, status: error.status }
            : {
                type: 'error',
                code: 'answer_failed',
                message: `The answer could not be completed: ${(error as Error).message}`,
                ...(kept ? { conversationId: kept.conversationId, messageId: kept.messageId } : {}),
              };
          return;
        }
        if (signal?.aborted) return;
        const stored = owner
          ? await store(owner, { content: text, ...done, status: 'complete', citations })
          : null;
        yield {
          type: 'done',
          ...done,
          conversationId: stored?.conversationId ?? null,
          messageId: stored?.messageId ?? null,
        };
      },
    };

    async function store(
      who: NonNullable<typeof owner>,
      answer: Parameters<ConversationRepository['appendTurn']>[3],
    ): Promise<{ conversationId: string; messageId: string }> {
      const conversationId =
        input.conversationId ?? (await conversations.create(tenantId, who, titleFrom(question))).id;
      const messageId = await conversations.appendTurn(tenantId, conversationId, question, answer);
      if (pseudonyms && pseudonymStore) await pseudonymStore.save(tenantId, conversationId, pseudonyms);
      return { conversationId, messageId };
    }
  }

  /** The whole answer at once (JSON responses, the CLI, OpenAI without streaming, MCP). */
  async ask(actor: Actor, tenantId: string, input: AskInput, signal?: AbortSignal): Promise<AskResult> {
    const turn = await this.start(actor, tenantId, input);
    let answer = '';
    const citations: Citation[] = [];
    for await (const event of turn.events(signal)) {
      if (event.type === 'text') answer += event.delta;
      else if (event.type === 'citation') citations.push(event.citation);
      else if (event.type === 'error')
        throw event.code === 'answer_failed'
          ? new AnswerFailedError(event.message)
          : new AppError(event.status ?? 502, event.code, event.message, true);
      else
        return {
          answer,
          mode: event.mode,
          found: event.found,
          citations,
          conversationId: event.conversationId,
          messageId: event.messageId,
        };
    }
    throw new AnswerFailedError('The request was cancelled.');
  }
}

/** The engine failed part-way (a generative provider's stream broke): 502 answer_failed. */
export class AnswerFailedError extends AppError {
  constructor(message: string) {
    super(502, 'answer_failed', message, true);
  }
}

/** The engine's citation, if it names a passage it retrieved and quotes it; rebuilt from that passage. */
function validCitation(
  c: Citation,
  seen: ReadonlyMap<string, Passage>,
  taken: readonly Citation[],
): Citation | null {
  const passage = seen.get(`${c.documentId}/${c.chunkOrdinal}`);
  if (!passage || !Number.isInteger(c.n) || c.n < 1 || taken.some((t) => t.n === c.n)) return null;
  if (c.quote === '' || !passage.text.includes(c.quote)) return null;
  return {
    n: c.n,
    documentId: passage.documentId,
    title: passage.title,
    uri: passage.uri,
    anchor: passage.anchor,
    quote: c.quote,
    chunkOrdinal: passage.ordinal,
  };
}
