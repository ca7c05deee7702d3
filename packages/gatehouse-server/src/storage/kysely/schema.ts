/**
 * The database schema as Kysely sees it, shared by every SQL dialect.
 *
 * Column names are snake_case; times are integer epoch milliseconds (`bigint` columns, which
 * SQLite stores as INTEGER and better-sqlite3 returns as `number`; a PostgreSQL driver may
 * return them as strings, which is why `rows.ts` converts with `Number()`). JSON values
 * (roles, audit detail) are stored as text so that no dialect needs a JSON type.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  password_hash: string;
  /** JSON array of strings. */
  roles: string;
  created_at: number;
  updated_at: number;
  locked_at: number | null;
  tokens_valid_after: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  idle_expires_at: number | null;
  revoked_at: number | null;
  revoke_reason: string | null;
  user_agent: string | null;
  ip: string | null;
  generation: number;
}

export interface RefreshTokensTable {
  /** SHA-256 of the refresh token (base64url); the token itself is never stored. */
  hash: string;
  session_id: string;
  generation: number;
  created_at: number;
  /** When a newer generation replaced this one; null for the current generation. */
  rotated_at: number | null;
  /**
   * The next generation's token, sealed under a key derived from THIS row's token (migration
   * 7; `domain/refresh-seal.ts`): handed back to a grace call. Set when this generation is
   * rotated and cleared when it falls two generations behind; null otherwise and on older rows.
   */
  successor_sealed: string | null;
}

export interface RevocationsTable {
  cursor: Generated<number>;
  kind: string;
  value: string;
  not_before: number | null;
  expires_at: number;
  reason: string;
  created_at: number;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
  activates_at: number;
  retired_at: number | null;
  revoked_at: number | null;
  publish_until: number | null;
}

export interface ClientsTable {
  id: string;
  name: string;
  secret_hash: string;
  created_at: number;
}

export interface AttemptsTable {
  key: string;
  count: number;
  /** End of the current window (first increment + windowMs). */
  reset_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  type: string;
  actor_id: string | null;
  subject_id: string | null;
  ip: string | null;
  /** JSON object. */
  detail: string;
  created_at: number;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

/** Every table of the store. */
export interface Schema {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  revocations: RevocationsTable;
  signing_keys: SigningKeysTable;
  clients: ClientsTable;
  attempts: AttemptsTable;
  audit_log: AuditLogTable;
  gatehouse_migrations: MigrationsTable;
}

/** Tables counted by `stats()`, in a stable order. */
export const COUNTED_TABLES = [
  'users',
  'sessions',
  'refresh_tokens',
  'revocations',
  'signing_keys',
  'clients',
  'attempts',
  'audit_log',
] as const satisfies readonly (keyof Schema)[];
