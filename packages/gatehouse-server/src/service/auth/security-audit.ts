/**
 * Security events of the login path, written through the audit log (service/audit.ts) like
 * the other audit entries (`refresh_token_reused`, admin actions): snake_case
 * type, the user as subject, the caller's IP, a small structured detail. Never a password, a
 * token or a username that failed (people type their password into the name field).
 */
import { createAuditLog } from '../audit.js';
import type { ServiceContext } from '../context.js';
import type { RequestContext } from '../types.js';

/** Audit types written by the login and registration paths. */
export type SecurityEventType =
  | 'login_succeeded'
  | 'login_failed'
  | 'lockout_started'
  | 'registration_throttled'
  // The account paths: password change, logout-all, session delete.
  | 'password_changed'
  | 'sessions_revoked';

/**
 * Appends one audit entry through the audit log (storage row, then the `audit` service event
 * that the server writes as a log line); best effort: a failed audit write never fails the
 * request.
 *
 * @example
 * ```ts
 * await recordSecurityEvent(ctx, 'login_failed', req, { subjectId: user.id, detail: { reason: 'wrong_password' } });
 * ```
 */
export async function recordSecurityEvent(
  ctx: ServiceContext,
  type: SecurityEventType,
  req: RequestContext | undefined,
  entry: { subjectId?: string | null; detail?: Record<string, unknown> } = {},
): Promise<void> {
  const audit = createAuditLog({ store: ctx.store, clock: ctx.clock, emit: ctx.emit });
  await audit
    .record({
      type,
      // The actor of a login is the user it is about (null when unknown).
      actorId: entry.subjectId ?? null,
      subjectId: entry.subjectId ?? null,
      ip: typeof req?.ip === 'string' ? req.ip.slice(0, 64) : null,
      requestId: req?.requestId,
      detail: entry.detail ?? {},
    })
    .catch(() => {});
}
