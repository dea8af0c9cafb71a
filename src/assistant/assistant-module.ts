import type { Database } from '../platform/db/database.js';
import type { Knowledge } from '../ingest/knowledge-module.js';
import { AskService } from './ask-service.js';
import { ConversationRepository } from './conversations/conversation-repository.js';
import { ConversationService } from './conversations/conversation-service.js';
import { DocumentReader } from './document-reader.js';
import type { AnswerEngine } from './engine/answer-engine.js';
import type { EngineScope } from './engine/engine-selector.js';
import type { ConversationPseudonyms } from './conversations/conversation-pseudonyms.js';
import type { DataAccessFor } from './data-questions.js';
import { ExtractiveEngine } from './engine/extractive-engine.js';

export interface AssistantOptions {
  /**
   * The engine that answers, chosen per request: the generative engine when the company's policy
   * allows a provider, the offline extractive engine otherwise (the default when none is given).
   */
  engine?: (scope: EngineScope, extractive: AnswerEngine) => Promise<AnswerEngine>;
  /** Keeps each conversation's pseudonym map, sealed with the company's key. */
  pseudonyms?: ConversationPseudonyms;
  /** The caller's data questions (`query_data`, the analytics service) for the generative engine's tools. */
  data?: DataAccessFor;
}

/** Wires the assistant: conversations and asking, over the knowledge pillar's search. */
export function createAssistant(db: Database, knowledge: Knowledge, options: AssistantOptions = {}) {
  const repository = new ConversationRepository(db);
  const extractive = new ExtractiveEngine();
  const documents = new DocumentReader(db);
  return {
    conversations: new ConversationService(repository),
    documents,
    ask: new AskService(
      knowledge.search,
      repository,
      options.engine
        ? (scope) => options.engine!(scope, extractive)
        : () => Promise.resolve<AnswerEngine>(extractive),
      options.pseudonyms,
      options.data,
      documents,
    ),
  };
}

export type Assistant = ReturnType<typeof createAssistant>;
