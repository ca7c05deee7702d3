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
}
