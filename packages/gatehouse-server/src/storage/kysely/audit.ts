/** The audit log (dialect-neutral). */
import type { Kysely } from 'kysely';
import type { AuditEvent } from '../types.js';
import { toAudit } from './rows.js';
import type { Schema } from './schema.js';

type Db = Kysely<Schema>;

export async function appendAudit(db: Db, e: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      type: e.type,
      actor_id: e.actorId,
      subject_id: e.subjectId,
      ip: e.ip,
      detail: JSON.stringify(e.detail ?? {}),
      created_at: e.now,
    })
    .execute();
}

/** Newest first; `since` inclusive, `until` exclusive. */
export async function listAudit(
  db: Db,
  opts: { limit: number; type?: string; subjectId?: string; since?: number; until?: number },
): Promise<(AuditEvent & { id: number })[]> {
  let q = db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.max(0, Math.floor(opts.limit)));
  if (opts.type !== undefined) q = q.where('type', '=', opts.type);
  if (opts.subjectId !== undefined) q = q.where('subject_id', '=', opts.subjectId);
  if (opts.since !== undefined) q = q.where('created_at', '>=', opts.since);
  if (opts.until !== undefined) q = q.where('created_at', '<', opts.until);
  return (await q.execute()).map(toAudit);
}
