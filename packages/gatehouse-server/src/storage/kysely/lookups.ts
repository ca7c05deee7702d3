/**
 * Lookups on every authenticated request (session and user by id) and every login (user by
 * key), compiled once per store (prepared.ts).
 */
import type { Kysely, Selectable } from 'kysely';
import type { SessionRecord, UserRecord } from '../types.js';
import { prepared } from './prepared.js';
import { toSession, toUser } from './rows.js';
import type { Schema, SessionsTable, UsersTable } from './schema.js';

export interface Lookups {
  findUserById(id: string): Promise<UserRecord | null>;
  findUserByUsernameKey(key: string): Promise<UserRecord | null>;
  findSession(id: string): Promise<SessionRecord | null>;
}

/**
 * Builds the store's hot lookups.
 *
 * @example
 * ```ts
 * const { findSession } = createLookups(db);
 * const session = await findSession('b7c…');
 * ```
 */
export function createLookups(db: Kysely<Schema>): Lookups {
  const userById = prepared<{ v: string }, Selectable<UsersTable>>(db, (db, p) =>
    db.selectFrom('users').selectAll().where('id', '=', p('v')),
  );
  const userByKey = prepared<{ v: string }, Selectable<UsersTable>>(db, (db, p) =>
    db.selectFrom('users').selectAll().where('username_key', '=', p('v')),
  );
  const sessionById = prepared<{ v: string }, Selectable<SessionsTable>>(db, (db, p) =>
    db.selectFrom('sessions').selectAll().where('id', '=', p('v')),
  );
  return {
    async findUserById(id) {
      const row = (await userById(db, { v: id })).rows[0];
      return row ? toUser(row) : null;
    },
    async findUserByUsernameKey(key) {
      const row = (await userByKey(db, { v: key })).rows[0];
      return row ? toUser(row) : null;
    },
    async findSession(id) {
      const row = (await sessionById(db, { v: id })).rows[0];
      return row ? toSession(row) : null;
    },
  };
}
