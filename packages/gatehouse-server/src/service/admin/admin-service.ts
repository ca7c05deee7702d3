/**
 * Operator actions (the CLI today, the admin HTTP routes later). Each mutating action is
 * written to the audit log with its actor.
 */
import { GatehouseError } from 'gatehouse/errors';
import { normalizeRoles } from '../../domain/roles.js';
import { sessionRevocation } from '../../domain/sessions.js';
import { lookupKey } from '../../domain/usernames.js';
import type { UserRecord } from '../../storage/types.js';
import { createUserRecord } from '../auth/register.js';
import type { ServiceContext } from '../context.js';
import type { AdminService } from '../types.js';
import { toAdminSessionView, toAdminUser, toPublicUser } from '../views.js';
import { setAccountLock } from './account-lock.js';

const MAX_LIST = 1000;

/**
 * Builds the admin service over the shared context.
 *
 * @example
 * ```ts
 * const admin = createAdminService(ctx);
 * await admin.createUser({ username: 'root', password: 'long enough', roles: ['admin'] });
 * ```
 */
export function createAdminService(ctx: ServiceContext): AdminService {
  const { store } = ctx;

  async function find(usernameOrId: unknown): Promise<UserRecord | null> {
    if (typeof usernameOrId !== 'string' || usernameOrId === '' || usernameOrId.length > 256) return null;
    const byId = await store.findUserById(usernameOrId);
    if (byId) return byId;
    const key = lookupKey(usernameOrId);
    return key === null ? null : store.findUserByUsernameKey(key);
  }

  async function mustFind(usernameOrId: unknown): Promise<UserRecord> {
    const user = await find(usernameOrId);
    if (!user) throw new GatehouseError('NOT_FOUND', 'No such user');
    return user;
  }

  async function audit(
    type: string,
    actor: string | null,
    subjectId: string | null,
    detail: Record<string, unknown>,
  ) {
    await store.appendAudit({ type, actorId: actor, subjectId, ip: null, detail, now: ctx.clock() });
  }

  return {
    async createUser(input) {
      const roles = normalizeRoles(input?.roles ?? []);
      const user = await createUserRecord(ctx, input ?? {}, roles);
      await audit('user_created', null, user.id, { roles });
      return toPublicUser(user);
    },

    async listUsers(opts) {
      const limit = opts?.limit;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) {
        throw new GatehouseError('VALIDATION_FAILED', `limit must be an integer in 1..${MAX_LIST}`, {
          claim: 'limit',
        });
      }
      const query: { limit: number; after?: string; filter?: string } = { limit };
      if (typeof opts.after === 'string') query.after = opts.after;
      if (typeof opts.filter === 'string' && opts.filter !== '') {
        if (opts.filter.length > 256) {
          throw new GatehouseError('VALIDATION_FAILED', 'filter must be at most 256 characters', {
            claim: 'filter',
          });
        }
        query.filter = opts.filter.normalize('NFKC').toLowerCase();
      }
      const users = await store.listUsers(query);
      const now = ctx.clock();
      return Promise.all(
        users.map(async (u) => toAdminUser(u, (await store.listActiveSessions(u.id, now)).length)),
      );
    },

    async findUser(usernameOrId) {
      const user = await find(usernameOrId);
      if (!user) return null;
      return toAdminUser(user, (await store.listActiveSessions(user.id, ctx.clock())).length);
    },

    async lockUser(usernameOrId, actor) {
      const user = await mustFind(usernameOrId);
      await setAccountLock(ctx, user.id, true);
      await audit('user_locked', actor, user.id, {});
    },

    async unlockUser(usernameOrId, actor) {
      const user = await mustFind(usernameOrId);
      await setAccountLock(ctx, user.id, false);
      await audit('user_unlocked', actor, user.id, {});
    },

    async listUserSessions(usernameOrId) {
      const user = await mustFind(usernameOrId);
      return (await store.listActiveSessions(user.id, ctx.clock())).map(toAdminSessionView);
    },

    async revokeSession(sessionId, actor) {
      if (typeof sessionId !== 'string' || sessionId === '' || sessionId.length > 128) {
        throw new GatehouseError('NOT_FOUND', 'No such session');
      }
      const now = ctx.clock();
      const session = await store.findSession(sessionId);
      const ended =
        session !== null &&
        (await store.revokeSession(
          sessionId,
          'admin',
          sessionRevocation(sessionId, 'admin', now, ctx.policy),
        ));
      if (!ended) throw new GatehouseError('NOT_FOUND', 'No such live session');
      ctx.emit({ type: 'session_revoked', reason: 'admin', count: 1 });
      await audit('session_revoked', actor, session.userId, { sessionId });
    },

    async listKeys() {
      await ctx.keyring.reload();
      return ctx.keyring.list(ctx.clock());
    },

    async rotateKey(actor) {
      const view = await ctx.keyring.rotate();
      await audit('key_rotated', actor, null, { kid: view.kid });
      return view;
    },

    async revokeKey(kid, actor) {
      if (typeof kid !== 'string' || kid === '' || kid.length > 256)
        throw new GatehouseError('NOT_FOUND', 'No such key');
      if (!(await ctx.keyring.revoke(kid)))
        throw new GatehouseError('NOT_FOUND', 'No such key, or already revoked');
      await audit('key_revoked', actor, null, { kid });
    },
  };
}
