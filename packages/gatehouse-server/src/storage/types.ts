/**
 * The storage interface of the auth server.
 *
 * Every backend (`sqlite/`, later `postgres/`, `redis/` for counters) implements `Store` and
 * passes the one conformance suite in `test/conformance/store.ts`. Methods are the domain's
 * atomic operations, named for what they do; each says what happens under a race. Policy
 * (lifetimes, grace, lockout thresholds) is decided by the caller and passed in as plain
 * values; the store only guarantees atomicity. All times are epoch **milliseconds**.
 * Backends throw `GatehouseError('SERVICE_UNAVAILABLE', ..., { retryAfter })` when the
 * database is unreachable, locked or read-only, so that the HTTP layer answers 503.
 */

export interface UserRecord {
  id: string;
  /** As registered (NFKC-normalised), for display. */
  username: string;
  /** Lookup key: NFKC + lower case. Unique. */
  usernameKey: string;
  /** PHC string (argon2id, parameters included). */
  passwordHash: string;
  roles: string[];
  createdAt: number;
  updatedAt: number;
  lockedAt: number | null;
  /**
   * Access tokens of this user issued (iat) before this instant are invalid: set to `now` by
   * `changePassword`, `revokeUserSessions` (logout-all, admin) and `setLocked(true)`. The
   * service issues new tokens with `iat >= ceil(tokensValidAfter / 1000)` so that a login in
   * the same second as a logout-all is not caught by the cut-off.
   */
  tokensValidAfter: number;
}

export interface NewUser {
  id: string;
  username: string;
  usernameKey: string;
  passwordHash: string;
  roles: string[];
  now: number;
}

export type RevokeReason =
  | 'logout'
  | 'logout_all'
  | 'session_deleted'
  | 'password_changed'
  | 'admin'
  | 'locked'
  | 'reuse_detected'
  | 'expired'
  | 'oauth_revoke';

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: number;
  lastUsedAt: number;
  /** Absolute end of the session (GATEHOUSE_REFRESH_TTL from creation). */
  expiresAt: number;
  /** Idle end: lastUsedAt + GATEHOUSE_REFRESH_IDLE_TTL, or null when no idle limit. */
  idleExpiresAt: number | null;
  revokedAt: number | null;
  revokeReason: RevokeReason | null;
  userAgent: string | null;
  ip: string | null;
  /** Generation of the current refresh token (1 for the token issued at login). */
  generation: number;
}

export interface NewSession {
  id: string;
  userId: string;
  now: number;
  expiresAt: number;
  idleExpiresAt: number | null;
  userAgent: string | null;
  ip: string | null;
  /** SHA-256 (base64url) of the first refresh token. */
  refreshHash: string;
}

export interface RotateRequest {
  /** Hash of the presented refresh token. */
  hash: string;
  /** Hash of the successor to store if the rotation is allowed. */
  nextHash: string;
  /**
   * The successor sealed so that only the presented token opens it (`domain/refresh-seal.ts`).
   * Stored on the presented token's row when it rotates, and handed back by a grace call;
   * opaque to the store.
   */
  nextSealed: string;
  now: number;
  /** How long a rotated token keeps working (reuse grace), ms; 0 allowed. */
  graceMs: number;
  /**
   * New idle deadline if the session is used (now + idle TTL), or null for no idle limit. The
   * store caps it at the session's absolute end (`expiresAt`), which the caller need not know.
   */
  idleExpiresAt: number | null;
  /**
   * Revocation to append if reuse is detected (the whole session), written in the same
   * transaction as the session's revocation. The store sets `value` to the session's id.
   */
  onReuse: Omit<NewRevocation, 'value'>;
}

/**
 * Outcome of {@link Store.rotateRefreshToken}.
 * - `rotated`, `graceUsed: false`: the presented token was the current generation k. Generation
 *   k+1 (`nextHash`) is now the only current one; `nextSealed` was stored on the presented
 *   token's row, whose grace period starts now. `session` is the updated session.
 * - `rotated`, `graceUsed: true`: the presented token is the immediate predecessor of the
 *   current generation, within `graceMs` of its rotation. Nothing rotates (`nextHash` and
 *   `nextSealed` are not written): `sealedSuccessor` is the seal stored when it was rotated,
 *   which the caller opens with the presented token to hand out the SAME current token again.
 *   Only `lastUsedAt` and `idleExpiresAt` of the session are touched.
 * - `reused`: a token of this session that is neither current nor a predecessor in grace:
 *   the session is revoked (reason `reuse_detected`) and `onReuse` (value = session id)
 *   appended, `cursor` being its position in the revocation log.
 * - `invalid`: unknown hash, the session is revoked or expired (absolute or idle), or an
 *   in-grace predecessor whose row holds no seal (rotated before the seal existed); nothing is
 *   written.
 */
export type RotateResult =
  | { status: 'rotated'; session: SessionRecord; user: UserRecord; graceUsed: false }
  | {
      status: 'rotated';
      session: SessionRecord;
      user: UserRecord;
      graceUsed: true;
      /** Opaque seal of the current refresh token; open it with the presented token. */
      sealedSuccessor: string;
    }
  | { status: 'reused'; sessionId: string; userId: string; cursor: number }
  | { status: 'invalid' };

export type RevocationKind = 'jti' | 'sid' | 'sub' | 'kid';

export interface NewRevocation {
  kind: RevocationKind;
  /** The token id, session id, user id or key id. */
  value: string;
  /** For `sub`: tokens of the user issued (iat, seconds) before this are revoked. Seconds. */
  notBefore: number | null;
  /** After this instant (ms) no token the entry can hit is still valid: it can be purged. */
  expiresAt: number;
  reason: RevokeReason | 'key_revoked';
  now: number;
}

export interface RevocationEntry extends NewRevocation {
  /** Monotonic, gap-safe cursor: a reader of `listRevocationsAfter` never skips an entry. */
  cursor: number;
}

export type KeyStatus = 'pending' | 'active' | 'retired' | 'revoked';

export interface SigningKeyRecord {
  kid: string;
  alg: string;
  /** Private JWK as JSON, possibly encrypted at rest (an opaque string to the store). */
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
  /** Signing starts at this instant (created + GATEHOUSE_KEY_PROPAGATION). */
  activatesAt: number;
  /** Set when a newer key took over signing. */
  retiredAt: number | null;
  /** Set by `keys revoke`: out of the JWKS at once, its tokens refused. */
  revokedAt: number | null;
  /** After this instant no token it signed is valid: it leaves the JWKS. */
  publishUntil: number | null;
}

export interface ClientRecord {
  id: string;
  name: string;
  secretHash: string;
  createdAt: number;
}

export interface AuditEvent {
  type: string;
  actorId: string | null;
  subjectId: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
  now: number;
}

export interface PurgeResult {
  sessions: number;
  refreshTokens: number;
  revocations: number;
  attempts: number;
  keys: number;
}

export interface Store {
  readonly backend: 'sqlite' | 'postgres' | 'memory';

  /** Apply pending migrations (idempotent, safe to run from several processes). */
  migrate(): Promise<void>;
  /** Cheap liveness query; throws SERVICE_UNAVAILABLE when the database cannot be used. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // --- users -------------------------------------------------------------------------------
  /** Inserts a user; returns `null` (nothing written) when `usernameKey` is taken, even under a race. */
  createUser(user: NewUser): Promise<UserRecord | null>;
  findUserByUsernameKey(usernameKey: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  /** Replaces the hash (parameter upgrade on login); does not touch sessions. */
  updatePasswordHash(userId: string, passwordHash: string, now: number): Promise<void>;
  /**
   * Password change: new hash, `tokensValidAfter = now`, every session but `keepSessionId`
   * revoked (reason `password_changed`) and `revocation` appended — one transaction.
   */
  changePassword(
    userId: string,
    passwordHash: string,
    keepSessionId: string | null,
    revocation: NewRevocation,
  ): Promise<void>;
  /**
   * Sets or clears `lockedAt`; locking also revokes every session, sets `tokensValidAfter`
   * and appends `revocation`. Returns false when the user does not exist.
   */
  setLocked(userId: string, locked: boolean, revocation: NewRevocation | null): Promise<boolean>;
  setRoles(userId: string, roles: string[], now: number): Promise<boolean>;
  /** Ordered by username key; `after` is the last key of the previous page. */
  listUsers(opts: { limit: number; after?: string; filter?: string }): Promise<UserRecord[]>;
  countUsers(): Promise<number>;

  // --- sessions and refresh tokens ---------------------------------------------------------
  /** Creates the session and its generation-1 refresh token in one transaction. */
  createSession(session: NewSession): Promise<SessionRecord>;
  findSession(id: string): Promise<SessionRecord | null>;
  /** Live (not revoked, not expired at `now`) sessions of a user, newest first. */
  listActiveSessions(userId: string, now: number): Promise<SessionRecord[]>;
  /**
   * The heart of refresh. In one transaction (or one conditional update): looks the hash up,
   * decides rotated / grace / reused / invalid as {@link RotateResult} documents, and writes
   * the outcome. Under any number of concurrent calls with one token of generation k, exactly
   * one rotates it (k+1 becomes current); every other call within the grace period gets
   * `graceUsed` with the seal of that same k+1 — the generations stay one linear chain, and no
   * two calls can both make a generation current.
   */
  rotateRefreshToken(req: RotateRequest): Promise<RotateResult>;
  /** Finds the live session a refresh token belongs to, without rotating (logout, RFC 7009). */
  findSessionByRefreshHash(hash: string, now: number): Promise<SessionRecord | null>;
  /**
   * Revokes one session (if live) and appends `revocation` in the same transaction.
   * Returns false, writing nothing, when it was already revoked, has expired (at
   * `revocation.now`) or does not exist; with `userId` it also returns false when the session
   * belongs to someone else. Under a race exactly one caller gets true.
   */
  revokeSession(
    sessionId: string,
    reason: RevokeReason,
    revocation: NewRevocation,
    userId?: string,
  ): Promise<boolean>;
  /**
   * Revokes every live session of a user but `exceptSessionId`, sets `tokensValidAfter =
   * revocation.now`, appends `revocation` (a `sub` cut-off) — one transaction; returns the count.
   */
  revokeUserSessions(
    userId: string,
    reason: RevokeReason,
    revocation: NewRevocation,
    exceptSessionId?: string,
  ): Promise<number>;
  countActiveSessions(now: number): Promise<number>;

  // --- revocation log ----------------------------------------------------------------------
  appendRevocation(entry: NewRevocation): Promise<number>;
  /** Entries with cursor > `after`, ascending, at most `limit`, excluding those expired at `now`. */
  listRevocationsAfter(after: number, limit: number, now: number): Promise<RevocationEntry[]>;
  /** The highest cursor written so far (0 when none). */
  latestRevocationCursor(): Promise<number>;

  // --- signing keys ------------------------------------------------------------------------
  /**
   * Inserts a key; when `opts.retireOthersAt` is set, every other key that is neither retired
   * nor revoked gets `retiredAt = retireOthersAt`, in the same transaction.
   */
  insertSigningKey(key: SigningKeyRecord, opts?: { retireOthersAt?: number }): Promise<void>;
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  updateSigningKey(
    kid: string,
    patch: Partial<Pick<SigningKeyRecord, 'retiredAt' | 'revokedAt' | 'publishUntil'>>,
  ): Promise<boolean>;

  // --- clients (resource servers) ------------------------------------------------------------
  createClient(client: ClientRecord): Promise<boolean>;
  findClient(id: string): Promise<ClientRecord | null>;
  findClientByName(name: string): Promise<ClientRecord | null>;
  listClients(): Promise<ClientRecord[]>;
  deleteClient(name: string): Promise<boolean>;

  // --- counters (throttling) -----------------------------------------------------------------
  /**
   * Atomically increments the counter `key` and returns its new value. The window starts at
   * the first increment and is not extended by later ones; after `windowMs` the counter
   * restarts at 1.
   */
  incrementAttempts(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
  getAttempts(key: string, now: number): Promise<{ count: number; resetAt: number } | null>;
  resetAttempts(key: string): Promise<void>;

  // --- audit -----------------------------------------------------------------------------------
  appendAudit(event: AuditEvent): Promise<void>;
  /** Newest first; `since` inclusive, `until` exclusive (ms). */
  listAudit(opts: {
    limit: number;
    type?: string;
    subjectId?: string;
    since?: number;
    until?: number;
  }): Promise<(AuditEvent & { id: number })[]>;

  // --- housekeeping ----------------------------------------------------------------------------
  /**
   * Deletes what can no longer matter at `now`: sessions (and their refresh-token generations)
   * expired or revoked before `now - retainMs`, revocation entries whose `expiresAt` passed,
   * expired counters, keys past `publishUntil`. Never an entry that can still hit a live token.
   */
  purgeExpired(now: number, retainMs: number): Promise<PurgeResult>;
  /** Row counts per table, for tests and `gatehouse purge --dry-run`. */
  stats(): Promise<Record<string, number>>;
}
