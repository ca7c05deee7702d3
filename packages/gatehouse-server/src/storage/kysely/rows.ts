/**
 * Row ↔ record conversion, shared by every dialect. Integers go through `Number()` because
 * some drivers return 64-bit columns as strings.
 */

import type { Selectable } from 'kysely';
import type {
  AuditEvent,
  ClientRecord,
  RevocationEntry,
  RevocationKind,
  RevokeReason,
  SessionRecord,
  SigningKeyRecord,
  UserRecord,
} from '../types.js';
import type {
  AuditLogTable,
  ClientsTable,
  RevocationsTable,
  SessionsTable,
  SigningKeysTable,
  UsersTable,
} from './schema.js';

/** A required integer column. */
export function num(v: number | string | bigint): number {
  return typeof v === 'number' ? v : Number(v);
}

/** A nullable integer column. */
export function numOrNull(v: number | string | bigint | null): number | null {
  return v === null ? null : num(v);
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toUser(r: Selectable<UsersTable>): UserRecord {
  const roles = parseJson<unknown>(r.roles, []);
  return {
    id: r.id,
    username: r.username,
    usernameKey: r.username_key,
    passwordHash: r.password_hash,
    roles: Array.isArray(roles) ? roles.filter((x): x is string => typeof x === 'string') : [],
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    lockedAt: numOrNull(r.locked_at),
    tokensValidAfter: num(r.tokens_valid_after),
  };
}

export function toSession(r: Selectable<SessionsTable>): SessionRecord {
  return {
    id: r.id,
    userId: r.user_id,
    createdAt: num(r.created_at),
    lastUsedAt: num(r.last_used_at),
    expiresAt: num(r.expires_at),
    idleExpiresAt: numOrNull(r.idle_expires_at),
    revokedAt: numOrNull(r.revoked_at),
    revokeReason: r.revoke_reason as RevokeReason | null,
    userAgent: r.user_agent,
    ip: r.ip,
    generation: num(r.generation),
  };
}

export function toRevocation(r: Selectable<RevocationsTable>): RevocationEntry {
  return {
    cursor: num(r.cursor),
    kind: r.kind as RevocationKind,
    value: r.value,
    notBefore: numOrNull(r.not_before),
    expiresAt: num(r.expires_at),
    reason: r.reason as RevocationEntry['reason'],
    now: num(r.created_at),
  };
}

export function toSigningKey(r: Selectable<SigningKeysTable>): SigningKeyRecord {
  return {
    kid: r.kid,
    alg: r.alg,
    privateJwk: r.private_jwk,
    publicJwk: r.public_jwk,
    createdAt: num(r.created_at),
    activatesAt: num(r.activates_at),
    retiredAt: numOrNull(r.retired_at),
    revokedAt: numOrNull(r.revoked_at),
    publishUntil: numOrNull(r.publish_until),
  };
}

export function toClient(r: Selectable<ClientsTable>): ClientRecord {
  return { id: r.id, name: r.name, secretHash: r.secret_hash, createdAt: num(r.created_at) };
}

export function toAudit(r: Selectable<AuditLogTable>): AuditEvent & { id: number } {
  const detail = parseJson<unknown>(r.detail, {});
  return {
    id: num(r.id),
    type: r.type,
    actorId: r.actor_id,
    subjectId: r.subject_id,
    ip: r.ip,
    detail: detail !== null && typeof detail === 'object' ? (detail as Record<string, unknown>) : {},
    now: num(r.created_at),
  };
}
