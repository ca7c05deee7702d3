/**
 * The client's in-memory session: built from a token pair as it arrives, with the server-vs-local
 * clock offset measured from the access token's `iat` and the local time of receipt, so that
 * expiry is judged on the server's clock rather than a possibly wrong local one.
 */
import { ClientError } from './errors.js';
import { peekClaims } from './jwt-claims.js';
import type { SessionState, StoredSession, TokenPair } from './types.js';

/** Everything the client holds for a session. `refreshToken` is absent in cookie mode. */
export interface Tokens extends SessionState {
  accessToken: string;
  refreshToken?: string;
  /** Local epoch ms when these tokens arrived. */
  receivedAt: number;
}

const bad = (field: string) =>
  new ClientError('INTERNAL_ERROR', `The auth server sent an invalid token response (${field})`, {
    reason: 'bad_response',
  });

const nonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Checks a token-pair body strictly. In cookie mode the refresh token may be missing and, if
 * present, is dropped: it is never kept where page scripts can read it.
 *
 * @example
 * ```ts
 * const pair = parseTokenPair(await res.json(), false);
 * ```
 */
export function parseTokenPair(body: unknown, cookieMode: boolean): TokenPair {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('body');
  const b = body as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || b.access_token === '') throw bad('access_token');
  if (typeof b.token_type !== 'string' || b.token_type.toLowerCase() !== 'bearer') throw bad('token_type');
  if (!nonNegative(b.expires_in)) throw bad('expires_in');
  if (!nonNegative(b.refresh_expires_in)) throw bad('refresh_expires_in');
  if (typeof b.session_id !== 'string' || b.session_id === '') throw bad('session_id');
  const pair: TokenPair = {
    access_token: b.access_token,
    token_type: 'Bearer',
    expires_in: b.expires_in,
    refresh_expires_in: b.refresh_expires_in,
    session_id: b.session_id,
  };
  if (!cookieMode) {
    if (typeof b.refresh_token !== 'string' || b.refresh_token === '') throw bad('refresh_token');
    pair.refresh_token = b.refresh_token;
  }
  return pair;
}

/**
 * The session held after receiving `pair` at local time `receivedAt` (epoch ms).
 *
 * Clock offset = `iat` (server time of issue) − local time of receipt. The access token then
 * expires locally at `exp − offset`, which equals receipt + the token's life: a wrong local
 * clock does not matter. An opaque access token falls back to `expires_in`.
 *
 * @example
 * ```ts
 * const tokens = tokensFromPair(pair, Date.now());
 * ```
 */
export function tokensFromPair(pair: TokenPair, receivedAt: number): Tokens {
  const claims = peekClaims(pair.access_token);
  const clockOffset = claims.iat === undefined ? 0 : claims.iat * 1000 - receivedAt;
  const accessTokenExpiresAt =
    claims.exp !== undefined && claims.iat !== undefined && claims.exp >= claims.iat
      ? claims.exp * 1000 - clockOffset
      : receivedAt + pair.expires_in * 1000;
  const tokens: Tokens = {
    accessToken: pair.access_token,
    sessionId: pair.session_id,
    accessTokenExpiresAt,
    sessionExpiresAt: receivedAt + pair.refresh_expires_in * 1000,
    clockOffset,
    receivedAt,
  };
  if (pair.refresh_token !== undefined) tokens.refreshToken = pair.refresh_token;
  if (claims.sub !== undefined) tokens.userId = claims.sub;
  if (claims.username !== undefined) tokens.username = claims.username;
  if (claims.roles !== undefined) tokens.roles = claims.roles;
  return tokens;
}

/**
 * The public view (no tokens).
 *
 * @example
 * ```ts
 * emit('refreshed', { session: publicState(tokens), source: 'local' });
 * ```
 */
export function publicState(t: Tokens): SessionState {
  const state: SessionState = {
    sessionId: t.sessionId,
    accessTokenExpiresAt: t.accessTokenExpiresAt,
    sessionExpiresAt: t.sessionExpiresAt,
    clockOffset: t.clockOffset,
  };
  if (t.userId !== undefined) state.userId = t.userId;
  if (t.username !== undefined) state.username = t.username;
  if (t.roles !== undefined) state.roles = [...t.roles];
  return state;
}

/**
 * What goes to a token store (undefined in cookie mode: there is no refresh token to keep).
 *
 * @example
 * ```ts
 * const record = toStored(tokens);
 * if (record) await store.set(record);
 * ```
 */
export function toStored(t: Tokens): StoredSession | undefined {
  if (t.refreshToken === undefined) return undefined;
  return {
    refreshToken: t.refreshToken,
    sessionId: t.sessionId,
    sessionExpiresAt: t.sessionExpiresAt,
    accessToken: t.accessToken,
    accessExpiresAt: t.accessTokenExpiresAt,
    clockOffset: t.clockOffset,
  };
}

/**
 * Tokens from a store's record; a record that does not have the expected shape is ignored
 * (treated as logged out) rather than trusted.
 *
 * @example
 * ```ts
 * const tokens = fromStored(await store.get(), Date.now());
 * ```
 */
export function fromStored(s: unknown, now: number): Tokens | undefined {
  if (typeof s !== 'object' || s === null) return undefined;
  const r = s as Record<string, unknown>;
  if (typeof r.refreshToken !== 'string' || r.refreshToken === '') return undefined;
  if (typeof r.sessionId !== 'string' || !Number.isFinite(r.sessionExpiresAt)) return undefined;
  const hasAccess = typeof r.accessToken === 'string' && Number.isFinite(r.accessExpiresAt);
  const claims = hasAccess ? peekClaims(r.accessToken as string) : {};
  const tokens: Tokens = {
    // An empty access token counts as expired: the first use refreshes.
    accessToken: hasAccess ? (r.accessToken as string) : '',
    refreshToken: r.refreshToken,
    sessionId: r.sessionId,
    accessTokenExpiresAt: hasAccess ? (r.accessExpiresAt as number) : 0,
    sessionExpiresAt: r.sessionExpiresAt as number,
    clockOffset: Number.isFinite(r.clockOffset) ? (r.clockOffset as number) : 0,
    receivedAt: now,
  };
  // The token's life (for the refresh margin) runs from its issue, not from this load.
  if (claims.iat !== undefined) tokens.receivedAt = Math.min(now, claims.iat * 1000 - tokens.clockOffset);
  if (claims.sub !== undefined) tokens.userId = claims.sub;
  if (claims.username !== undefined) tokens.username = claims.username;
  if (claims.roles !== undefined) tokens.roles = claims.roles;
  return tokens;
}
