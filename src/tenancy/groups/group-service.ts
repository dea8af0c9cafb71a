import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../actor.js';
import { authorize, authorizeOn } from '../policies.js';
import { slugSchema } from '../slug.js';
import { slugHint } from '../slug-hint.js';
import type { Group, GroupRepository } from './group-repository.js';

export const createGroupInput = z.object({ slug: slugSchema, name: z.string().trim().min(1).max(200) });
export const updateGroupInput = z.object({ name: z.string().trim().min(1).max(200) });

export class GroupService {
  constructor(private readonly groups: GroupRepository) {}

  async create(actor: Actor, input: z.infer<typeof createGroupInput>): Promise<Group> {
    authorize(actor, 'group.create');
    if (await this.groups.slugTaken(input.slug))
      throw new ConflictError(`slug "${input.slug}" is already taken`, 'slug_taken');
    return this.groups.insert({ id: randomUUID(), ...input });
  }

  async get(actor: Actor, id: string): Promise<Group> {
    const group = await this.groups.findById(id);
    if (!group) throw new NotFoundError('Group');
    authorizeOn(actor, 'group.read', { tenantId: '', groupId: group.id }, 'Group');
    return group;
  }

  async list(actor: Actor): Promise<Group[]> {
    authorize(actor, 'group.read');
    if (actor.role === 'operator') return this.groups.list();
    const own = actor.groupId ? await this.groups.findById(actor.groupId) : undefined;
    return own ? [own] : [];
  }

  async update(actor: Actor, id: string, input: z.infer<typeof updateGroupInput>): Promise<Group> {
    await this.get(actor, id);
    authorizeOn(actor, 'group.update', { tenantId: '', groupId: id }, 'Group');
    const group = await this.groups.rename(id, input.name);
    if (!group) throw new NotFoundError('Group');
    return group;
  }

  /** The operator's commands (the CLI) name groups by slug; a wrong one hears which there are. */
  async requireBySlug(slug: string): Promise<Group> {
    const group = await this.groups.findBySlug(slug);
    if (group) return group;
    const slugs = (await this.groups.list()).map((g) => g.slug);
    throw new NotFoundError(`Group "${slug}"`, slugHint('groups', slugs, 'kura group list'));
  }
}
