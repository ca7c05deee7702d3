/** The revocation log (dialect-neutral except the latest-cursor read, in the hooks). */
import type { Kysely } from 'kysely';
import type { NewRevocation, RevocationEntry } from '../types.js';
import { num, toRevocation } from './rows.js';
import type { Schema } from './schema.js';

/** Appends an entry (inside the caller's transaction when given one); returns its cursor. */
export async function insertRevocation(db: Kysely<Schema>, e: NewRevocation): Promise<number> {
  const row = await db
    .insertInto('revocations')
    .values({
      kind: e.kind,
      value: e.value,
      not_before: e.notBefore,
      expires_at: e.expiresAt,
      reason: e.reason,
      created_at: e.now,
    })
    .returning('cursor')
    .executeTakeFirstOrThrow();
  return num(row.cursor);
}

export async function listRevocationsAfter(
  db: Kysely<Schema>,
  after: number,
  limit: number,
  now: number,
): Promise<RevocationEntry[]> {
  const rows = await db
    .selectFrom('revocations')
    .selectAll()
    .where('cursor', '>', after)
    // An entry whose expiresAt has passed can no longer hit a valid token: not worth sending.
    .where('expires_at', '>', now)
    .orderBy('cursor')
    .limit(Math.max(0, Math.floor(limit)))
    .execute();
  return rows.map(toRevocation);
}
