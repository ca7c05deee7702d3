/**
 * The seam between the HTTP layer / CLI and the auth server's logic.
 *
 * `http/` and `cli/` call only these methods; `service/` sees storage only through
 * `storage/types.ts`. Every method throws `GatehouseError` with the contract's codes
 * (`INVALID_CREDENTIALS`, `REFRESH_TOKEN_REUSED`, ...); nothing else escapes except bugs,
 * which the HTTP layer maps to a generic 500 without details.
 */
import type { Jwks } from 'gatehouse';

/** Who is calling, as the HTTP layer saw it. */
export interface RequestContext {
  /** Client IP (X-Forwarded-For only when GATEHOUSE_TRUST_PROXY is set). */
  ip: string | null;
  userAgent: string | null;
  /** Request id for audit/log correlation. */
  requestId?: string;
  /**
   * A refresh token the caller already holds (the refresh cookie), presented at login as a
   * known-device marker: when it belongs to a live session of the same user, the login is
   * charged to that device's counter instead of the account's (see domain/throttle.ts).
   */
  knownDeviceToken?: string | null;
}

/** The contract's token pair. */
export interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds. */
  expires_in: number;
  refresh_token: string;
  /** Seconds until the session's absolute end. */
  refresh_expires_in: number;
  session_id: string;
}

export interface PublicUser {
  id: string;
  username: string;
  roles: string[];
  /** ISO 8601. */
  createdAt: string;
}

export interface AdminUserView extends PublicUser {
  locked: boolean;
  activeSessions?: number;
}

/** Verified claims of one of our own access tokens (signature, expiry and revocation checked). */
export interface AccessClaims {
  sub: string;
  sid: string;
  jti: string;
  roles: string[];
  username: string;
  client_id: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string | string[];
}

export interface SessionView {
  id: string;
  /** ISO 8601. */
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export interface AuthService {
  /** 201 body. VALIDATION_FAILED, USERNAME_TAKEN, REGISTRATION_CLOSED. */
  register(input: { username: string; password: string }, ctx: RequestContext): Promise<PublicUser>;
  /** INVALID_CREDENTIALS (same for unknown user), ACCOUNT_LOCKED (only after a correct password), TOO_MANY_ATTEMPTS. */
  login(input: { username: string; password: string }, ctx: RequestContext): Promise<TokenPair>;
  /** Rotation with grace and reuse detection. INVALID_REFRESH_TOKEN, REFRESH_TOKEN_REUSED. */
  refresh(refreshToken: string, ctx: RequestContext): Promise<TokenPair>;
  /** Idempotent: unknown or already-ended tokens are fine. */
  logout(refreshToken: string, ctx: RequestContext): Promise<void>;
  /** Verifies one of our access tokens, including revocation (session ended, user cut-off, key revoked). UNAUTHORIZED / token codes. */
  authenticate(accessToken: string): Promise<AccessClaims>;
  logoutAll(auth: AccessClaims, ctx: RequestContext): Promise<void>;
  me(auth: AccessClaims): Promise<{ id: string; username: string; roles: string[]; sessionId: string }>;
  listSessions(auth: AccessClaims): Promise<SessionView[]>;
  /** NOT_FOUND when the session is not the caller's own (or does not exist). */
  deleteSession(auth: AccessClaims, sessionId: string, ctx: RequestContext): Promise<void>;
  /** INVALID_CREDENTIALS for a wrong current password, VALIDATION_FAILED for a bad new one; other sessions revoked. */
  changePassword(
    auth: AccessClaims,
    input: { current_password: string; new_password: string },
    ctx: RequestContext,
  ): Promise<void>;

  /** The public JWKS (empty in HS* mode) and how long it may be cached, seconds. */
  jwks(): Promise<{ jwks: Jwks; maxAge: number }>;
  /** True when storage answers. */
  ready(): Promise<boolean>;
  /** Stops timers (key reload, purge) and closes storage. */
  close(): Promise<void>;
  /** Resource-server credentials (`gatehouse clients`) and their HTTP Basic check. */
  readonly clients: import('./clients.js').ClientService;
  /** The revocation feed (`GET /auth/revocations`). */
  readonly revocations: import('./revocation-feed.js').RevocationFeedService;
  /** One housekeeping pass now (`gatehouse purge`), with row counts before and after. */
  purge(options?: { dryRun?: boolean }): Promise<import('./purge.js').PurgeReport>;
  /** Admin HTTP operations on users (`/admin/users*`), each audited with actor, IP and request id. */
  readonly userAdmin: import('./admin/user-admin.js').UserAdmin;
  /** RFC 7009 revocation and RFC 7662 introspection (`/oauth/*`). */
  readonly oauth: import('./oauth/oauth-service.js').OAuthService;
  /** The audit log (`gatehouse audit`); security events are recorded through it too. */
  readonly audit: import('./audit.js').AuditLog;
}

/** What the service reports for metrics and logs (no secrets in here, ever). */
export type ServiceEvent =
  | { type: 'register'; outcome: 'created' | 'taken' | 'invalid' | 'closed' }
  | { type: 'login'; outcome: 'success' | 'invalid' | 'locked' | 'throttled' }
  | { type: 'refresh'; outcome: 'rotated' | 'grace' | 'reused' | 'invalid' }
  | { type: 'logout'; outcome: 'ended' | 'noop' }
  | { type: 'session_revoked'; reason: string; count: number }
  | { type: 'password_changed' }
  | { type: 'password_rehashed' }
  | { type: 'key_generated' | 'key_rotated' | 'key_revoked'; kid: string }
  | {
      /** An audit-log entry was written (the server logs it as one `audit` line). */
      type: 'audit';
      event: string;
      actorId: string | null;
      subjectId: string | null;
      ip: string | null;
      requestId: string | null;
      detail: Record<string, unknown>;
    };

/** Everything the service needs, already validated by `config/` (durations in seconds). */
export interface AuthServiceOptions {
  store: import('../storage/types.js').Store;
  issuer: string;
  audience: string;
  /** Seconds. */
  accessTtl: number;
  refreshTtl: number;
  /** Seconds, or null for no idle limit. */
  refreshIdleTtl: number | null;
  reuseGrace: number;
  keyPropagation: number;
  alg: import('gatehouse').Algorithm;
  /** Required (>= 32 bytes) when alg is HS*. */
  hsSecret?: string;
  /** When set, private signing keys are encrypted at rest with a key derived from it. */
  keyEncryptionSecret?: string;
  openRegistration: boolean;
  /** Wakes revocation-feed long-polls; default in-process (issue 8: Redis pub/sub across instances). */
  revocationNotifier?: import('./notifier.js').RevocationNotifier;
  /** `client_id` claim of tokens issued by the first-party endpoints (RFC 9068). Default 'gatehouse'. */
  clientId?: string;
  /** Epoch milliseconds; injectable for tests. */
  clock?: () => number;
  onEvent?: (event: ServiceEvent) => void;
  /** Argon2id parameters; defaults are OWASP's (m = 19456 KiB, t = 2, p = 1). Tests may lower them. */
  passwordHashing?: {
    memoryCost: number;
    timeCost: number;
    parallelism: number;
    /** Hashes running at once (default: the number of cores). */
    maxConcurrent?: number;
    /** Hashes waiting beyond that (default 64); past it: SERVICE_UNAVAILABLE with retryAfter. */
    maxQueue?: number;
  };
}

export interface AdminSessionView extends Omit<SessionView, 'current'> {
  userId: string;
}

export interface SigningKeyView {
  kid: string;
  alg: string;
  status: 'pending' | 'active' | 'retired' | 'revoked';
  createdAt: string;
  activatesAt: string;
  publishUntil: string | null;
}

/** Operator actions, used by the CLI today and by the admin HTTP routes later. */
export interface AdminService {
  createUser(input: { username: string; password: string; roles: string[] }): Promise<PublicUser>;
  listUsers(opts: { limit: number; after?: string; filter?: string }): Promise<AdminUserView[]>;
  findUser(usernameOrId: string): Promise<AdminUserView | null>;
  /** Locking revokes every session of the user. NOT_FOUND when unknown. */
  lockUser(usernameOrId: string, actor: string | null): Promise<void>;
  unlockUser(usernameOrId: string, actor: string | null): Promise<void>;
  listUserSessions(usernameOrId: string): Promise<AdminSessionView[]>;
  /** NOT_FOUND when unknown or already ended. */
  revokeSession(sessionId: string, actor: string | null): Promise<void>;
  listKeys(): Promise<SigningKeyView[]>;
  /**
   * `keys rotate`: publishes a new key at once; it signs after the key-propagation delay, and
   * the current key then retires (published until its tokens have expired).
   */
  rotateKey(actor: string | null): Promise<SigningKeyView>;
  /**
   * `keys revoke KID`: out of the JWKS at once and every token it signed refused (a `kid`
   * revocation entry); a new key is generated when it was the signer. NOT_FOUND when unknown
   * or already revoked; BAD_REQUEST in HS* mode.
   */
  revokeKey(kid: string, actor: string | null): Promise<void>;
}
