import type { Anchor } from '../../ingest/parsers/index.js';
import type { AnswerMode } from '../engine/answer-engine.js';

/** Whose conversation it is: a signed-in user or an API key (never shared between them). */
export interface Owner {
  kind: 'user' | 'api_key';
  id: string;
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredCitation {
  n: number;
  documentId: string;
  title: string;
  uri: string;
  anchor: Anchor;
  quote: string;
  chunkOrdinal: number;
}

export interface Feedback {
  rating: 'good' | 'bad';
  comment: string | null;
}

export interface Message {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  mode: AnswerMode | null;
  found: boolean | null;
  status: 'complete' | 'incomplete';
  createdAt: string;
  citations: StoredCitation[];
  feedback: Feedback | null;
}

export interface ConversationWithMessages extends Conversation {
  messages: Message[];
}
