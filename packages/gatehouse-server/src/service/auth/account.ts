/** `GET /auth/me`, `GET /auth/sessions`, `DELETE /auth/sessions/{id}`. */
import { GatehouseError } from 'gatehouse/errors';
import { sessionRevocation } from '../../domain/sessions.js';
import type { ServiceContext } from '../context.js';
import type { AccessClaims, RequestContext, SessionView } from '../types.js';
import { toSessionView } from '../views.js';
import { recordSecurityEvent } from './security-audit.js';

/**
 * The caller as stored now (roles may have changed since the token was issued).
 *
 * @example
 * ```ts
 * const { id, username, roles, sessionId } = await me(ctx, auth);
 * ```
 */
export async function me(
  ctx: ServiceContext,
  auth: AccessClaims,
): Promise<{ id: string; username: string; roles: string[]; sessionId: string }> {
  const user = await ctx.store.findUserById(auth.sub);
  if (!user) throw new GatehouseError('UNAUTHORIZED', 'Unknown user');
  return { id: user.id, username: user.username, roles: [...user.roles], sessionId: auth.sid };
}

/**
 * The caller's live sessions, newest first, the current one flagged.
 *
 * @example
 * ```ts
 * (await listSessions(ctx, auth)).find((s) => s.current);
 * ```
 */
export async function listSessions(ctx: ServiceContext, auth: AccessClaims): Promise<SessionView[]> {
  const sessions = await ctx.store.listActiveSessions(auth.sub, ctx.clock());
  return sessions.map((s) => toSessionView(s, auth.sid));
}

/**
 * Ends one of the caller's own sessions. NOT_FOUND when it is someone else's, unknown or
 * already ended: the answer never tells another user's session from a missing one.
 *
 * @example
 * ```ts
 * await deleteSession(ctx, auth, params.id, req);
 * ```
 */
export async function deleteSession(
  ctx: ServiceContext,
  auth: AccessClaims,
  sessionId: string,
  req: RequestContext,
): Promise<void> {
  if (typeof sessionId !== 'string' || sessionId === '' || sessionId.length > 128) throw notFound();
  const now = ctx.clock();
  const ended = await ctx.store.revokeSession(
    sessionId,
    'session_deleted',
    sessionRevocation(sessionId, 'session_deleted', now, ctx.policy),
    auth.sub,
  );
  if (!ended) throw notFound();
  ctx.emit({ type: 'session_revoked', reason: 'session_deleted', count: 1 });
  await recordSecurityEvent(ctx, 'sessions_revoked', req, {
    subjectId: auth.sub,
    detail: { reason: 'session_deleted', sessionId },
  });
}

function notFound(): GatehouseError {
  return new GatehouseError('NOT_FOUND', 'No such session');
}
