/**
 * Assembles a `Store` from the dialect-neutral query modules of this folder and one dialect's
 * hooks. A backend folder (`sqlite/`, later `postgres/`) only opens the connection, supplies
 * its `DialectHooks` and calls this.
 */
import { type Kysely, sql } from 'kysely';
import type { Store } from '../types.js';
import { getAttempts, incrementAttempts, resetAttempts } from './attempts.js';
import { appendAudit, listAudit } from './audit.js';
import type { DialectHooks } from './dialect.js';
import { guardErrors } from './guard.js';
import { purgeExpired, stats } from './housekeeping.js';
import * as keys from './keys.js';
import { createLookups } from './lookups.js';
import { runMigrations } from './migrate.js';
import { insertRevocation, listRevocationsAfter } from './revocations.js';
import { createRotator } from './rotate.js';
import type { Schema } from './schema.js';
import * as sessions from './sessions.js';
import * as users from './users.js';

/**
 * Builds the store; every method's driver errors are mapped by `hooks.mapError`.
 *
 * @example
 * ```ts
 * const store = createKyselyStore(new Kysely<Schema>({ dialect }), sqliteHooks);
 * await store.migrate();
 * ```
 */
export function createKyselyStore(db: Kysely<Schema>, hooks: DialectHooks): Store {
  let closed: Promise<void> | null = null;
  const lookups = createLookups(db);
  const store: Store = {
    backend: hooks.backend,
    migrate: async () => {
      await runMigrations(db, hooks);
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => {
      closed ??= db.destroy();
      return closed;
    },

    createUser: (u) => users.createUser(db, u),
    findUserByUsernameKey: lookups.findUserByUsernameKey,
    findUserById: lookups.findUserById,
    updatePasswordHash: (id, hash, now) => users.updatePasswordHash(db, id, hash, now),
    changePassword: (id, hash, keep, rev) => users.changePassword(db, id, hash, keep, rev),
    setLocked: (id, locked, rev) => users.setLocked(db, id, locked, rev),
    setRoles: (id, roles, now) => users.setRoles(db, id, roles, now),
    listUsers: (opts) => users.listUsers(db, opts),
    countUsers: () => users.countUsers(db),

    createSession: (s) => sessions.createSession(db, s),
    findSession: lookups.findSession,
    listActiveSessions: (userId, now) => sessions.listActiveSessions(db, userId, now),
    rotateRefreshToken: createRotator(db),
    findSessionByRefreshHash: (hash, now) => sessions.findSessionByRefreshHash(db, hash, now),
    revokeSession: (id, reason, rev, userId) => sessions.revokeSession(db, id, reason, rev, userId),
    revokeUserSessions: (userId, reason, rev, except) =>
      sessions.revokeUserSessions(db, userId, reason, rev, except),
    countActiveSessions: (now) => sessions.countActiveSessions(db, now),

    appendRevocation: (e) => insertRevocation(db, e),
    listRevocationsAfter: (after, limit, now) => listRevocationsAfter(db, after, limit, now),
    latestRevocationCursor: () => hooks.latestRevocationCursor(db),

    insertSigningKey: (k, opts) => keys.insertSigningKey(db, k, opts),
    listSigningKeys: () => keys.listSigningKeys(db),
    updateSigningKey: (kid, patch) => keys.updateSigningKey(db, kid, patch),

    createClient: (c) => keys.createClient(db, c),
    findClient: (id) => keys.findClientBy(db, 'id', id),
    findClientByName: (name) => keys.findClientBy(db, 'name', name),
    listClients: () => keys.listClients(db),
    deleteClient: (name) => keys.deleteClient(db, name),

    incrementAttempts: (key, windowMs, now) => incrementAttempts(db, key, windowMs, now),
    getAttempts: (key, now) => getAttempts(db, key, now),
    resetAttempts: (key) => resetAttempts(db, key),

    appendAudit: (e) => appendAudit(db, e),
    listAudit: (opts) => listAudit(db, opts),

    purgeExpired: (now, retainMs) => purgeExpired(db, now, retainMs),
    stats: () => stats(db),
  };
  return guardErrors(store, hooks, () => closed !== null);
}
