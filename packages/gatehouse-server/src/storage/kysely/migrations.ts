/**
 * The schema as code: small, forward-only migrations, each safe to re-run (`if not exists`
 * everywhere), shared by every SQL dialect. Never edit a released migration: add a new one.
 */
import type { Kysely } from 'kysely';
import type { DialectHooks } from './dialect.js';
import type { Schema } from './schema.js';

export interface Migration {
  /** Strictly increasing, never reused. */
  version: number;
  name: string;
  up(db: Kysely<Schema>, hooks: DialectHooks): Promise<void>;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users',
    async up(db) {
      await db.schema
        .createTable('users')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull())
        // Unique: the database, not a check-then-insert, decides a username race.
        .addColumn('username_key', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_at', 'bigint')
        .addColumn('tokens_valid_after', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  {
    version: 2,
    name: 'sessions and refresh tokens',
    async up(db) {
      await db.schema
        .createTable('sessions')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('idle_expires_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('revoke_reason', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('ip', 'text')
        .addColumn('generation', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('sessions_user_idx')
        .ifNotExists()
        .on('sessions')
        .column('user_id')
        .execute();
      await db.schema
        .createTable('refresh_tokens')
        .ifNotExists()
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('rotated_at', 'bigint')
        // A generation exists once per session: a second chain cannot even be written.
        .addUniqueConstraint('refresh_tokens_session_generation_uq', ['session_id', 'generation'])
        .execute();
    },
  },
  {
    version: 3,
    name: 'revocation log',
    async up(db, hooks) {
      await db.schema
        .createTable('revocations')
        .ifNotExists()
        .addColumn('cursor', hooks.serialColumnType, (c) => hooks.serialColumn(c))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('not_before', 'bigint')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('revocations_expires_idx')
        .ifNotExists()
        .on('revocations')
        .column('expires_at')
        .execute();
    },
  },
  {
    version: 4,
    name: 'signing keys and clients',
    async up(db) {
      await db.schema
        .createTable('signing_keys')
        .ifNotExists()
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('alg', 'text', (c) => c.notNull())
        .addColumn('private_jwk', 'text', (c) => c.notNull())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('activates_at', 'bigint', (c) => c.notNull())
        .addColumn('retired_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('publish_until', 'bigint')
        .execute();
      await db.schema
        .createTable('clients')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 5,
    name: 'attempt counters',
    async up(db) {
      await db.schema
        .createTable('attempts')
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('reset_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 6,
    name: 'audit log',
    async up(db, hooks) {
      await db.schema
        .createTable('audit_log')
        .ifNotExists()
        .addColumn('id', hooks.serialColumnType, (c) => hooks.serialColumn(c))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('subject_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_log_type_idx')
        .ifNotExists()
        .on('audit_log')
        .columns(['type', 'created_at'])
        .execute();
      await db.schema
        .createIndex('audit_log_subject_idx')
        .ifNotExists()
        .on('audit_log')
        .columns(['subject_id', 'created_at'])
        .execute();
    },
  },
  {
    version: 7,
    name: 'sealed refresh successor',
    async up(db) {
      // ALTER TABLE has no `if not exists` for columns in SQLite: ask the catalogue instead, so
      // that this migration too is safe to re-run.
      const tables = await db.introspection.getTables();
      const table = tables.find((t) => t.name === 'refresh_tokens');
      if (table?.columns.some((c) => c.name === 'successor_sealed')) return;
      // Nullable: rows rotated before this migration have no seal; a grace call with one of
      // them is answered `invalid`, never a 5xx.
      await db.schema.alterTable('refresh_tokens').addColumn('successor_sealed', 'text').execute();
    },
  },
];
