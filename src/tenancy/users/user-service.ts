import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isUniqueViolation } from '../../platform/db/database.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../actor.js';
import type { CredentialCache } from '../credential-cache.js';
import { authorizeOn, type Action } from '../policies.js';
import { USER_ROLES, type UserRole } from '../roles.js';
import { generatePassword, hashPassword } from './passwords.js';
import type { User, UserRepository } from './user-repository.js';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'not a valid e-mail address' }));
export const passwordSchema = z.string().min(10, 'passwords need at least 10 characters').max(200);

export const createUserInput = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(USER_ROLES).default('member'),
  password: passwordSchema.optional(),
});
export const updateUserInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(USER_ROLES).optional(),
  disabled: z.boolean().optional(),
  password: passwordSchema.optional(),
});

/** Roles that can manage the company's users (UserRepository.countAdmins counts these). */
const ADMIN_ROLES: ReadonlySet<UserRole> = new Set<UserRole>(['admin', 'group_admin']);

export interface CreatedUser {
  user: User;
  /** Present only when Kura generated the password: shown once. */
  generatedPassword?: string;
}

export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly cache: CredentialCache,
  ) {}

  async create(actor: Actor, tenantId: string, input: z.input<typeof createUserInput>): Promise<CreatedUser> {
    const parsed = createUserInput.parse(input);
    this.check(actor, 'user.create', tenantId);
    this.checkAssignable(actor, parsed.role);
    const taken = () =>
      new ConflictError(`a user with e-mail ${parsed.email} already exists in this company`, 'email_taken');
    if (await this.users.findByEmailWithSecret(tenantId, parsed.email)) throw taken();
    const generatedPassword = parsed.password ? undefined : generatePassword();
    const passwordHash = await hashPassword(parsed.password ?? generatedPassword!);
    const user = await this.users
      .insert(tenantId, {
        id: randomUUID(),
        email: parsed.email,
        name: parsed.name ?? parsed.email.split('@')[0]!,
        role: parsed.role,
        passwordHash,
      })
      .catch((error: unknown) => {
        // Two requests for one address at once: the unique index decides, the loser hears 409.
        throw isUniqueViolation(error) ? taken() : error;
      });
    return generatedPassword ? { user, generatedPassword } : { user };
  }

  async list(actor: Actor, tenantId: string): Promise<User[]> {
    this.check(actor, 'user.list', tenantId);
    return this.users.list(tenantId);
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<User> {
    this.check(actor, 'user.read', tenantId);
    const user = await this.users.findById(tenantId, id);
    if (!user) throw new NotFoundError('User');
    return user;
  }

  async update(
    actor: Actor,
    tenantId: string,
    id: string,
    input: z.infer<typeof updateUserInput>,
  ): Promise<User> {
    this.check(actor, 'user.update', tenantId);
    const current = await this.get(actor, tenantId, id);
    if (input.role) this.checkAssignable(actor, input.role);
    if (current.role === 'group_admin') this.checkAssignable(actor, 'group_admin');
    if (id === actor.id && (input.disabled || (input.role && input.role !== current.role))) {
      throw new ConflictError('you cannot disable yourself or change your own role', 'cannot_change_self');
    }
    if (input.disabled || (input.role && !ADMIN_ROLES.has(input.role)))
      await this.keepAnAdmin(tenantId, current);
    const updated = await this.users.update(tenantId, id, {
      ...(input.name ? { name: input.name } : {}),
      ...(input.role ? { role: input.role } : {}),
      ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
      ...(input.password ? { passwordHash: await hashPassword(input.password) } : {}),
    });
    if (!updated) throw new NotFoundError('User');
    // The repository ended the user's sessions; cached ones must not outlive them in this process.
    if (input.disabled || input.role || input.password) this.cache.evict(id);
    return updated;
  }

  async remove(actor: Actor, tenantId: string, id: string): Promise<void> {
    this.check(actor, 'user.delete', tenantId);
    const current = await this.get(actor, tenantId, id);
    if (id === actor.id) throw new ConflictError('you cannot delete yourself', 'cannot_delete_self');
    if (current.role === 'group_admin') this.checkAssignable(actor, 'group_admin');
    await this.keepAnAdmin(tenantId, current);
    await this.users.delete(tenantId, id);
    this.cache.evict(id);
  }

  private check(actor: Actor, action: Action, tenantId: string): void {
    authorizeOn(actor, action, { tenantId, groupId: null }, 'User');
  }

  /** Refuses to take away the company's last enabled admin: nobody could manage its users any more. */
  private async keepAnAdmin(tenantId: string, user: User): Promise<void> {
    if (!ADMIN_ROLES.has(user.role) || user.disabled) return;
    if ((await this.users.countAdmins(tenantId)) <= 1) {
      throw new ConflictError('the company needs at least one enabled admin', 'last_admin');
    }
  }

  /** Only the operator and group admins hand out the group admin role; nobody grants more than they hold. */
  private checkAssignable(actor: Actor, role: UserRole): void {
    if (role === 'group_admin' && actor.role !== 'operator' && actor.role !== 'group_admin') {
      throw new ForbiddenError('only a group admin can grant the group_admin role');
    }
  }
}
