/**
 * Public types of `gatehouse/client`: options, the token pair and the other bodies of the auth
 * server (CONTRACT.md section 2), the pluggable token store, events and the client itself.
 */

/** The auth server's token pair, exactly as `POST /auth/login` and `POST /auth/token` send it. */
export interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds until the access token expires. */
  expires_in: number;
  /** Absent when the server sends the refresh token only in its HttpOnly cookie. */
  refresh_token?: string;
  /** Seconds until the session's absolute end. */
  refresh_expires_in: number;
  session_id: string;
}

/** `POST /auth/register` answer. */
export interface RegisteredUser {
  id: string;
  username: string;
  roles: string[];
  createdAt: string;
}

/** `GET /auth/me` answer. */
export interface Me {
  id: string;
  username: string;
  roles: string[];
  sessionId: string;
}

/** One entry of `GET /auth/sessions`. */
export interface SessionInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/** Username and password, for `register` and `login`. */
export interface Credentials {
  username: string;
  password: string;
}

/**
 * What a {@link TokenStore} keeps between runs. Times are epoch milliseconds on the local
 * clock. `refreshToken` is a secret: a store must keep it where other code cannot read it.
 */
export interface StoredSession {
  refreshToken: string;
  sessionId: string;
  /** Local epoch ms of the session's absolute end. */
  sessionExpiresAt: number;
  accessToken?: string;
  /** Local epoch ms at which `accessToken` expires. */
  accessExpiresAt?: number;
  /** Server clock minus local clock, in milliseconds, measured when the tokens arrived. */
  clockOffset?: number;
}

/**
 * A pluggable place for the refresh token (Node, Electron, React Native keychain, a file...).
 * Methods may be synchronous or return promises. The default is memory only.
 */
export interface TokenStore {
  get(): StoredSession | null | undefined | Promise<StoredSession | null | undefined>;
  set(session: StoredSession): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** Why the client is no longer logged in. */
export type LoggedOutReason = 'logout' | 'revoked' | 'expired' | 'reuse_detected';

/** The client's view of its current session (no secrets). */
export interface SessionState {
  sessionId: string;
  /** `sub` of the access token, when it is a JWT. */
  userId?: string;
  username?: string;
  roles?: string[];
  /** Local epoch ms when the access token expires (corrected for server clock offset). */
  accessTokenExpiresAt: number;
  /** Local epoch ms of the session's absolute end. */
  sessionExpiresAt: number;
  /** Server clock minus local clock, in milliseconds. */
  clockOffset: number;
}

/** Payloads of the client's events. */
export interface ClientEvents {
  /** New tokens: a login, a refresh in this client, or tokens shared by another tab. */
  'logged-in': { session: SessionState; source: 'local' | 'other-tab' };
  refreshed: { session: SessionState; source: 'local' | 'other-tab' };
  /** The session's absolute end is near: warn the user before it logs them out. */
  'session-expiring': { sessionId: string; expiresAt: number; remainingMs: number };
  'logged-out': { reason: LoggedOutReason; sessionId: string | undefined; source: 'local' | 'other-tab' };
}

export type ClientEventName = keyof ClientEvents;

/** The subset of the Web Locks API the client uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** A duration: seconds as a number, or a string such as `'30s'`, `'5m'`. */
export type DurationInput = number | string;

export interface ClientOptions {
  /** The auth server, e.g. `http://127.0.0.1:5000`. */
  baseUrl: string;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
  /**
   * Where the refresh token lives: `'memory'` (default) or your own {@link TokenStore}.
   * Ignored in cookie mode, where the refresh token never reaches JavaScript.
   */
  storage?: 'memory' | TokenStore;
  /** Browser cookie mode: the refresh token stays in the server's HttpOnly cookie. Default false. */
  cookieMode?: boolean;
  /** Refresh this long before the access token expires (capped at half its life). Default 30 s. */
  refreshMargin?: DurationInput;
  /** Emit `session-expiring` this long before the session's absolute end. Default 5 min. */
  expiringWarning?: DurationInput;
  /** Refresh on a timer before expiry, even when idle. Default false (refresh on demand). */
  autoRefresh?: boolean;
  /** Local clock in epoch milliseconds; default `Date.now`. */
  clock?: () => number;
  /**
   * Origins (besides the auth server's and, in a browser, the page's) to which `fetch` may send
   * the access token. Any other origin is refused, so the token never leaks to a third party.
   */
  tokenOrigins?: string[];
  /**
   * Tab coordination over BroadcastChannel: true, false, or a channel name. Default true in
   * browsers, false elsewhere.
   */
  crossTab?: boolean | string;
  /** Web Locks for cross-tab single-flight refresh; default `navigator.locks` when present. */
  locks?: LockManagerLike | false;
}

/** Listener of one event. */
export type Listener<E extends ClientEventName> = (payload: ClientEvents[E]) => void;

/** The client returned by `createClient`. Every failure is a `GatehouseError` (see `ClientError`). */
export interface GatehouseClient {
  /** Creates an account (does not log in). */
  register(credentials: Credentials): Promise<RegisteredUser>;
  /** Logs in and keeps the tokens. */
  login(credentials: Credentials): Promise<SessionState>;
  /** Ends this session on the server and locally (local state is cleared even if the call fails). */
  logout(): Promise<void>;
  /** Ends every session of the user, then this one locally. */
  logoutAll(): Promise<void>;
  /** The user's live sessions. */
  sessions(): Promise<SessionInfo[]>;
  /** Ends one of the user's sessions; ending the current one logs this client out. */
  endSession(id: string): Promise<void>;
  /** The current user. */
  me(): Promise<Me>;
  /**
   * `fetch` with `Authorization: Bearer`, refreshing before expiry, and once more on a 401
   * followed by one retry. Returns the Response as `fetch` does (non-2xx included).
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** A valid access token, refreshed first when near expiry. */
  getAccessToken(): Promise<string>;
  /** Forces a refresh now (single-flight with any other refresh). */
  refresh(): Promise<SessionState>;
  /** The current session, or null when logged out (or not yet loaded from the store). */
  readonly session: SessionState | null;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends ClientEventName>(event: E, listener: Listener<E>): () => void;
  off<E extends ClientEventName>(event: E, listener: Listener<E>): void;
  /** Stops timers, closes the tab channel and drops listeners. Tokens are kept in the store. */
  dispose(): void;
}
