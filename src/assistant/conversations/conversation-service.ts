import { InvalidRequestError, NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import { authorizeOn } from '../../tenancy/policies.js';
import type { ConversationRepository } from './conversation-repository.js';
import type { Conversation, ConversationWithMessages, Feedback, Owner } from './conversation-types.js';

/** The caller as a conversation owner; the operator (local CLI) keeps no conversations. */
export function ownerOf(actor: Actor): Owner | null {
  if (actor.kind === 'operator') return null;
  return { kind: actor.kind, id: actor.id };
}

const MAX_TITLE = 200;
const MAX_COMMENT = 2_000;

/**
 * A caller's own conversations. Another caller's conversation — in the same company or another —
 * answers 404 exactly like one that does not exist.
 */
export class ConversationService {
  constructor(private readonly repository: ConversationRepository) {}

  list(actor: Actor, tenantId: string, limit = 50): Promise<Conversation[]> {
    const owner = this.require(actor, tenantId, 'conversation.read');
    return this.repository.list(tenantId, owner, limit);
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<ConversationWithMessages> {
    const owner = this.require(actor, tenantId, 'conversation.read');
    const found = await this.repository.get(tenantId, owner, id);
    if (!found) throw new NotFoundError('Conversation');
    return found;
  }

  async rename(actor: Actor, tenantId: string, id: string, title: string): Promise<Conversation> {
    const owner = this.require(actor, tenantId, 'conversation.update');
    const clean = title.trim();
    if (clean === '' || clean.length > MAX_TITLE)
      throw new InvalidRequestError(`A title has 1–${MAX_TITLE} characters.`, 'invalid_title');
    const renamed = await this.repository.rename(tenantId, owner, id, clean);
    if (!renamed) throw new NotFoundError('Conversation');
    return renamed;
  }

  async delete(actor: Actor, tenantId: string, id: string): Promise<void> {
    const owner = this.require(actor, tenantId, 'conversation.delete');
    if (!(await this.repository.delete(tenantId, owner, id))) throw new NotFoundError('Conversation');
  }

  async feedback(
    actor: Actor,
    tenantId: string,
    conversationId: string,
    messageId: string,
    feedback: Feedback,
  ): Promise<void> {
    const owner = this.require(actor, tenantId, 'conversation.update');
    const comment = feedback.comment?.trim() || null;
    if (comment && comment.length > MAX_COMMENT)
      throw new InvalidRequestError(`A comment has at most ${MAX_COMMENT} characters.`, 'invalid_feedback');
    const saved = await this.repository.setFeedback(tenantId, owner, conversationId, messageId, {
      rating: feedback.rating,
      comment,
    });
    if (!saved) throw new NotFoundError('Message');
  }

  private require(
    actor: Actor,
    tenantId: string,
    action: 'conversation.read' | 'conversation.update' | 'conversation.delete',
  ): Owner {
    authorizeOn(actor, action, { tenantId, groupId: actor.groupId }, 'Conversation');
    const owner = ownerOf(actor);
    if (!owner) throw new NotFoundError('Conversation');
    return owner;
  }
}
