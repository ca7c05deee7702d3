/**
 * `rotateRefreshToken`: read the presented token with its session and user, decide
 * (rotation-policy.ts), write the outcome — all in one transaction.
 *
 * Atomicity: on SQLite every write transaction begins IMMEDIATE, so the whole read-decide-write
 * runs under the database's single write lock (across processes too). The session update is
 * also conditional on the generation that was read, and `(session_id, generation)` is unique,
 * so on a database with row-level concurrency (PostgreSQL, READ COMMITTED) a lost race shows up
 * as zero updated rows and the decision is taken again on fresh rows — never as a second chain.
 *
 * Grace ("sealed successor"): rotating generation k stores the new token T_{k+1}, sealed under
 * a key only T_k's holder can derive, on T_k's row. A grace call (T_k again, within the grace
 * period) does not rotate: it touches the session (also conditional on the generation read)
 * and returns that seal, so every racer ends up holding the same T_{k+1}. The seal on the row
 * two generations back is cleared at each rotation: it can never be used again, and a database
 * copy plus an old token must not be able to walk the chain forward.
 *
 * Cost: five statements on the hot path (read, claim, seal the old head, clear the seal two
 * back, insert the new head), compiled once per store (prepared.ts); two for a grace call.
 */
import { GatehouseError } from 'gatehouse/errors';
import type { Kysely, Selectable } from 'kysely';
import type { RotateRequest, RotateResult, SessionRecord } from '../types.js';
import { type Executor, prepared } from './prepared.js';
import { insertRevocation } from './revocations.js';
import { decideRotation } from './rotation-policy.js';
import { num, toSession, toUser } from './rows.js';
import type { Schema, SessionsTable, UsersTable } from './schema.js';

const MAX_ATTEMPTS = 3;

type Row = Selectable<SessionsTable> & {
  token_generation: number;
  token_rotated_at: number | null;
  token_sealed: string | null;
  u_id: string;
  u_username: string;
  u_username_key: string;
  u_password_hash: string;
  u_roles: string;
  u_created_at: number;
  u_updated_at: number;
  u_locked_at: number | null;
  u_tokens_valid_after: number;
};

function rotateQueries(db: Kysely<Schema>) {
  return {
    read: prepared<{ hash: string }, Row>(db, (db, p) =>
      db
        .selectFrom('refresh_tokens')
        .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('sessions')
        .select([
          'refresh_tokens.generation as token_generation',
          'refresh_tokens.rotated_at as token_rotated_at',
          'refresh_tokens.successor_sealed as token_sealed',
          'users.id as u_id',
          'users.username as u_username',
          'users.username_key as u_username_key',
          'users.password_hash as u_password_hash',
          'users.roles as u_roles',
          'users.created_at as u_created_at',
          'users.updated_at as u_updated_at',
          'users.locked_at as u_locked_at',
          'users.tokens_valid_after as u_tokens_valid_after',
        ])
        .where('refresh_tokens.hash', '=', p('hash')),
    ),
    claim: prepared<{ id: string; head: number; next: number; now: number; idle: number | null }, never>(
      db,
      (db, p) =>
        db
          .updateTable('sessions')
          .set({ generation: p('next'), last_used_at: p('now'), idle_expires_at: p('idle') })
          .where('id', '=', p('id'))
          .where('generation', '=', p('head'))
          .where('revoked_at', 'is', null),
    ),
    // A grace call touches the session like a refresh, but only while the generation it read
    // is still the head: if another call rotated meanwhile, this is a conflict (decide again).
    touch: prepared<{ id: string; head: number; now: number; idle: number | null }, never>(db, (db, p) =>
      db
        .updateTable('sessions')
        .set({ last_used_at: p('now'), idle_expires_at: p('idle') })
        .where('id', '=', p('id'))
        .where('generation', '=', p('head'))
        .where('revoked_at', 'is', null),
    ),
    markRotated: prepared<{ id: string; head: number; now: number; sealed: string }, never>(db, (db, p) =>
      db
        .updateTable('refresh_tokens')
        .set({ rotated_at: p('now'), successor_sealed: p('sealed') })
        .where('session_id', '=', p('id'))
        .where('generation', '=', p('head')),
    ),
    clearSeal: prepared<{ id: string; generation: number }, never>(db, (db, p) =>
      db
        .updateTable('refresh_tokens')
        .set({ successor_sealed: null })
        .where('session_id', '=', p('id'))
        .where('generation', '=', p('generation')),
    ),
    insertHead: prepared<{ hash: string; id: string; next: number; now: number }, never>(db, (db, p) =>
      db.insertInto('refresh_tokens').values({
        hash: p('hash'),
        session_id: p('id'),
        generation: p('next'),
        created_at: p('now'),
        rotated_at: null,
      }),
    ),
    revoke: prepared<{ id: string; now: number }, never>(db, (db, p) =>
      db
        .updateTable('sessions')
        .set({ revoked_at: p('now'), revoke_reason: 'reuse_detected' })
        .where('id', '=', p('id'))
        .where('revoked_at', 'is', null),
    ),
  };
}

type Queries = ReturnType<typeof rotateQueries>;

/**
 * Returns the store's `rotateRefreshToken`; see `RotateResult` for the outcomes.
 *
 * @example
 * ```ts
 * const rotate = createRotator(db);
 * const result = await rotate({ hash, nextHash, nextSealed, now, graceMs: 10_000, idleExpiresAt: null, onReuse });
 * ```
 */
export function createRotator(db: Kysely<Schema>): (req: RotateRequest) => Promise<RotateResult> {
  const q = rotateQueries(db);
  return (req) =>
    db.transaction().execute(async (trx) => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const result = await tryRotate(trx, q, req);
        if (result !== 'conflict') return result;
      }
      throw new GatehouseError('SERVICE_UNAVAILABLE', 'Storage busy', {
        retryAfter: 1,
        reason: 'rotation_conflict',
      });
    });
}

function userOf(r: Row): Selectable<UsersTable> {
  return {
    id: r.u_id,
    username: r.u_username,
    username_key: r.u_username_key,
    password_hash: r.u_password_hash,
    roles: r.u_roles,
    created_at: r.u_created_at,
    updated_at: r.u_updated_at,
    locked_at: r.u_locked_at,
    tokens_valid_after: r.u_tokens_valid_after,
  };
}

async function tryRotate(
  trx: Kysely<Schema> & Executor,
  q: Queries,
  req: RotateRequest,
): Promise<RotateResult | 'conflict'> {
  const row = (await q.read(trx, { hash: req.hash })).rows[0];
  if (!row) return { status: 'invalid' };
  const session = toSession(row);
  const token = {
    generation: num(row.token_generation),
    rotatedAt: row.token_rotated_at === null ? null : num(row.token_rotated_at),
  };
  const decision = decideRotation(token, session, req.now, req.graceMs);

  if (decision.action === 'invalid') return { status: 'invalid' };

  if (decision.action === 'reuse') {
    const res = await q.revoke(trx, { id: session.id, now: req.now });
    if (Number(res.numAffectedRows ?? 0n) === 0) return 'conflict';
    // The store names the session itself: the caller need not look it up first.
    const cursor = await insertRevocation(trx, { ...req.onReuse, value: session.id });
    return { status: 'reused', sessionId: session.id, userId: session.userId, cursor };
  }

  // The caller computes the idle deadline without knowing the session: never past its end.
  const idle = req.idleExpiresAt === null ? null : Math.min(req.idleExpiresAt, session.expiresAt);
  const head = session.generation;

  if (decision.action === 'grace') {
    // A row rotated before migration 7 has no seal: the successor cannot be handed out again.
    if (row.token_sealed === null) return { status: 'invalid' };
    const touched = await q.touch(trx, { id: session.id, head, now: req.now, idle });
    if (Number(touched.numAffectedRows ?? 0n) === 0) return 'conflict';
    return {
      status: 'rotated',
      session: { ...session, lastUsedAt: req.now, idleExpiresAt: idle },
      user: toUser(userOf(row)),
      graceUsed: true,
      sealedSuccessor: row.token_sealed,
    };
  }

  // Rotate the current generation. Claim the next one first, conditionally on the one we read.
  const next = head + 1;
  const claim = await q.claim(trx, { id: session.id, head, next, now: req.now, idle });
  if (Number(claim.numAffectedRows ?? 0n) === 0) return 'conflict';
  // The old head becomes the predecessor: its grace period starts now, and it carries the new
  // head sealed for its own holder. The generation before it is now two back (reuse at once):
  // its seal can never be used again, so it goes.
  await q.markRotated(trx, { id: session.id, head, now: req.now, sealed: req.nextSealed });
  if (head > 1) await q.clearSeal(trx, { id: session.id, generation: head - 1 });
  await q.insertHead(trx, { hash: req.nextHash, id: session.id, next, now: req.now });
  const rotated: SessionRecord = { ...session, generation: next, lastUsedAt: req.now, idleExpiresAt: idle };
  return { status: 'rotated', session: rotated, user: toUser(userOf(row)), graceUsed: false };
}
