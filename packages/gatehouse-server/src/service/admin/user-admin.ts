/**
 * The admin HTTP API's operations on users (`/admin/users*`): a cursor-paginated listing and
 * lock / unlock / end-all-sessions by user id. Each mutating action is audited with the acting
 * admin, the client IP and the request id. Users are addressed by id only (never by name):
 * an id cannot be re-registered by someone else, so a stale admin screen cannot hit the wrong
 * account.
 */
import { base64urlDecode, base64urlEncode } from 'gatehouse';
import { GatehouseError } from 'gatehouse/errors';
import { userCutoffRevocation } from '../../domain/sessions.js';
import type { UserRecord } from '../../storage/types.js';
import type { AuditActor, AuditLog } from '../audit.js';
import type { ServiceContext } from '../context.js';
import type { AdminUserView } from '../types.js';
import { toAdminUser } from '../views.js';
import { setAccountLock } from './account-lock.js';

/** Page size bounds of {@link UserAdmin.listUsers}. */
export const USER_PAGE = { default: 50, max: 100 } as const;

export interface UserPage {
  users: AdminUserView[];
  /** Opaque cursor of the next page (pass as `after`), or null on the last page. */
  next: string | null;
}

export interface UserAdmin {
  /** One page ordered by username key. VALIDATION_FAILED for a bad limit, cursor or filter. */
  listUsers(query: { limit?: number; after?: string; filter?: string }): Promise<UserPage>;
  /** Locks the account: every session ends, every access token is cut off. NOT_FOUND when unknown. */
  lockUser(userId: string, by: AuditActor): Promise<void>;
  /** Clears the lock (idempotent). NOT_FOUND when unknown. */
  unlockUser(userId: string, by: AuditActor): Promise<void>;
  /** Ends every session and cuts off every access token; returns how many sessions ended. */
  revokeUserSessions(userId: string, by: AuditActor): Promise<number>;
}

const MAX_CURSOR = 512;
const MAX_FILTER = 256;

/** The cursor is the last username key of a page, base64url-encoded so clients treat it as opaque. */
function encodeCursor(usernameKey: string): string {
  return base64urlEncode(new TextEncoder().encode(usernameKey));
}

function decodeCursor(cursor: string): string {
  const fail = () =>
    new GatehouseError('VALIDATION_FAILED', 'after is not a cursor of this listing', { claim: 'after' });
  if (cursor.length === 0 || cursor.length > MAX_CURSOR) throw fail();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(base64urlDecode(cursor));
  } catch {
    throw fail();
  }
}

/**
 * Builds the user administration over the shared context.
 *
 * @example
 * ```ts
 * const users = createUserAdmin(ctx, audit);
 * const { users: page, next } = await users.listUsers({ limit: 20, filter: 'ali' });
 * await users.lockUser(page[0]!.id, { actorId: admin.sub, ip: '10.0.0.1', requestId });
 * ```
 */
export function createUserAdmin(ctx: ServiceContext, audit: AuditLog): UserAdmin {
  const { store } = ctx;

  async function mustFind(userId: unknown): Promise<UserRecord> {
    const user =
      typeof userId === 'string' && userId !== '' && userId.length <= 128
        ? await store.findUserById(userId)
        : null;
    if (!user) throw new GatehouseError('NOT_FOUND', 'No such user');
    return user;
  }

  return {
    async listUsers(query) {
      const limit = query?.limit ?? USER_PAGE.default;
      if (!Number.isInteger(limit) || limit < 1 || limit > USER_PAGE.max) {
        throw new GatehouseError('VALIDATION_FAILED', `limit must be an integer in 1..${USER_PAGE.max}`, {
          claim: 'limit',
        });
      }
      const opts: { limit: number; after?: string; filter?: string } = { limit: limit + 1 };
      if (query.after !== undefined) opts.after = decodeCursor(query.after);
      if (query.filter !== undefined && query.filter !== '') {
        if (query.filter.length > MAX_FILTER) {
          throw new GatehouseError('VALIDATION_FAILED', `filter must be at most ${MAX_FILTER} characters`, {
            claim: 'filter',
          });
        }
        // Same folding as usernames (NFKC + lower case): the filter matches the lookup key.
        opts.filter = query.filter.normalize('NFKC').toLowerCase();
      }
      // One row more than asked tells whether another page exists, without a count query.
      const rows = await store.listUsers(opts);
      const page = rows.slice(0, limit);
      const now = ctx.clock();
      const users = await Promise.all(
        page.map(async (u) => toAdminUser(u, (await store.listActiveSessions(u.id, now)).length)),
      );
      const last = page[page.length - 1];
      return { users, next: rows.length > limit && last ? encodeCursor(last.usernameKey) : null };
    },

    async lockUser(userId, by) {
      const user = await mustFind(userId);
      const live = await setAccountLock(ctx, user.id, true);
      await audit.record({ ...by, type: 'user_locked', subjectId: user.id, detail: { sessions: live } });
    },

    async unlockUser(userId, by) {
      const user = await mustFind(userId);
      await setAccountLock(ctx, user.id, false);
      await audit.record({ ...by, type: 'user_unlocked', subjectId: user.id });
    },

    async revokeUserSessions(userId, by) {
      const user = await mustFind(userId);
      const now = ctx.clock();
      const count = await store.revokeUserSessions(
        user.id,
        'admin',
        userCutoffRevocation(user.id, 'admin', now, ctx.policy),
      );
      ctx.emit({ type: 'session_revoked', reason: 'admin', count });
      await audit.record({ ...by, type: 'sessions_revoked', subjectId: user.id, detail: { count } });
      return count;
    },
  };
}
