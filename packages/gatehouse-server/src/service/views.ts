/** Mapping of storage records to the views of `types.ts` (ISO 8601 times, no secrets). */
import type { SessionRecord, UserRecord } from '../storage/types.js';
import type { AdminSessionView, AdminUserView, PublicUser, SessionView } from './types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** @example toPublicUser(user) // { id, username, roles, createdAt } */
export function toPublicUser(user: UserRecord): PublicUser {
  return { id: user.id, username: user.username, roles: [...user.roles], createdAt: iso(user.createdAt) };
}

/** @example toAdminUser(user, 2) // { ...toPublicUser(user), locked: false, activeSessions: 2 } */
export function toAdminUser(user: UserRecord, activeSessions?: number): AdminUserView {
  const view: AdminUserView = { ...toPublicUser(user), locked: user.lockedAt !== null };
  if (activeSessions !== undefined) view.activeSessions = activeSessions;
  return view;
}

/**
 * The session as its owner sees it; `expiresAt` is the earlier of the absolute and idle ends.
 *
 * @example
 * ```ts
 * toSessionView(session, auth.sid).current; // true for the caller's own session
 * ```
 */
export function toSessionView(session: SessionRecord, currentSessionId: string | null): SessionView {
  return {
    id: session.id,
    createdAt: iso(session.createdAt),
    lastUsedAt: iso(session.lastUsedAt),
    expiresAt: iso(endOf(session)),
    userAgent: session.userAgent,
    ip: session.ip,
    current: session.id === currentSessionId,
  };
}

/** @example toAdminSessionView(session).userId */
export function toAdminSessionView(session: SessionRecord): AdminSessionView {
  const { current: _current, ...view } = toSessionView(session, null);
  return { ...view, userId: session.userId };
}

function endOf(session: SessionRecord): number {
  return session.idleExpiresAt === null
    ? session.expiresAt
    : Math.min(session.expiresAt, session.idleExpiresAt);
}
