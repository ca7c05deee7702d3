/**
 * The session core of the client: current tokens, loading from the store, single-flight
 * refresh under the cross-tab lock, deadlines (refresh, expiring warning, absolute end) and
 * the logged-out transitions. `create-client.ts` builds the public methods on it.
 */
import { createEmitter, type Emitter } from './emitter.js';
import { ClientError, isGatehouseCode, notLoggedIn } from './errors.js';
import { authCall, type HttpContext, readJson } from './http.js';
import type { ResolvedOptions } from './options.js';
import { fromStored, parseTokenPair, publicState, type Tokens, tokensFromPair, toStored } from './session.js';
import { singleFlight } from './single-flight.js';
import { createTabSync, detectLocks, type TabMessage } from './tab-sync.js';
import { createDeadline } from './timers.js';
import type { LoggedOutReason } from './types.js';

/** After a failed timer refresh, wait this long before the next attempt. */
const RETRY_MS = 5_000;
/** Session ends that differ by less than this are the same end (integer-second rounding). */
const SAME_END_MS = 5_000;

export interface Refresher {
  emitter: Emitter;
  tokens(): Tokens | undefined;
  load(): Promise<void>;
  needsRefresh(tokens: Tokens): boolean;
  /** Refresh unless the current access token already differs from `stale` and is fresh. */
  refreshUnless(stale: string): Promise<Tokens>;
  refreshNow(): Promise<Tokens>;
  adopt(tokens: Tokens, kind: 'logged-in' | 'refreshed', source: 'local' | 'other-tab'): Promise<void>;
  end(reason: LoggedOutReason, source: 'local' | 'other-tab', all: boolean): Promise<void>;
  checkDeadlines(): Promise<void>;
  dispose(): void;
}

const storeError = (cause: unknown) =>
  new ClientError('INTERNAL_ERROR', 'The token store failed', { reason: 'store', cause });

/**
 * Creates the session core.
 *
 * @example
 * ```ts
 * const core = createRefresher(resolveOptions({ baseUrl }), { baseUrl, fetch, cookieMode: false });
 * ```
 */
export function createRefresher(cfg: ResolvedOptions, ctx: HttpContext): Refresher {
  const { clock, store } = cfg;
  const emitter = createEmitter();
  const deadline = createDeadline(clock);
  let current: Tokens | undefined;
  let loaded: Promise<void> | undefined;
  /** The session end already warned about (so each end is announced once). */
  let warnedFor: number | undefined;
  /** Bumped on every login/logout: a refresh that started before is stale and dropped. */
  let generation = 0;
  let retryAt = 0;
  let disposed = false;

  const sync = createTabSync({
    name: cfg.crossTab ?? '',
    lockName: `gatehouse-refresh:${cfg.baseUrl}`,
    channel: cfg.crossTab !== undefined,
    locks: cfg.locks === 'detect' ? detectLocks() : cfg.locks,
    onMessage: (message) => void onTabMessage(message).catch(() => {}),
  });

  const marginFor = (t: Tokens) => Math.min(cfg.refreshMarginMs, (t.accessTokenExpiresAt - t.receivedAt) / 2);
  const refreshAt = (t: Tokens) => t.accessTokenExpiresAt - marginFor(t);
  const needsRefresh = (t: Tokens) => t.accessToken === '' || clock() >= refreshAt(t);
  const warned = (t: Tokens) =>
    warnedFor !== undefined && Math.abs(warnedFor - t.sessionExpiresAt) < SAME_END_MS;

  async function persist(t: Tokens): Promise<void> {
    const record = toStored(t);
    if (store === undefined || record === undefined) return;
    try {
      await store.set(record);
    } catch (err) {
      throw storeError(err);
    }
  }

  function schedule(): void {
    const t = current;
    if (t === undefined || disposed) {
      deadline.cancel();
      return;
    }
    let next = t.sessionExpiresAt;
    if (!warned(t)) next = Math.min(next, t.sessionExpiresAt - cfg.expiringWarningMs);
    if (cfg.autoRefresh) next = Math.min(next, Math.max(refreshAt(t), retryAt));
    deadline.at(next, () => void onTimer().catch(() => {}));
  }

  async function onTimer(): Promise<void> {
    await checkDeadlines();
    const t = current;
    if (cfg.autoRefresh && t !== undefined && needsRefresh(t) && clock() >= retryAt) {
      try {
        await refreshUnless(t.accessToken);
      } catch {
        // Network trouble: try again later; a dead session has already logged out.
        retryAt = clock() + RETRY_MS;
      }
    }
    schedule();
  }

  async function checkDeadlines(): Promise<void> {
    const t = current;
    if (t === undefined) return;
    const now = clock();
    if (now >= t.sessionExpiresAt) return end('expired', 'local', false);
    if (now >= t.sessionExpiresAt - cfg.expiringWarningMs && !warned(t)) {
      warnedFor = t.sessionExpiresAt;
      emitter.emit('session-expiring', {
        sessionId: t.sessionId,
        expiresAt: t.sessionExpiresAt,
        remainingMs: t.sessionExpiresAt - now,
      });
    }
  }

  async function adopt(t: Tokens, kind: 'logged-in' | 'refreshed', source: 'local' | 'other-tab') {
    if (kind === 'logged-in') generation++;
    await persist(t);
    current = t;
    retryAt = 0;
    schedule();
    if (source === 'local') sync.post({ type: 'tokens', tokens: t });
    emitter.emit(kind, { session: publicState(t), source });
    await checkDeadlines();
  }

  async function end(reason: LoggedOutReason, source: 'local' | 'other-tab', all: boolean): Promise<void> {
    const previous = current;
    generation++;
    current = undefined;
    warnedFor = undefined;
    deadline.cancel();
    if (previous === undefined && source === 'other-tab') return;
    if (source === 'local') {
      const message: TabMessage = { type: 'logged-out', reason, sessionId: previous?.sessionId, all };
      if (previous?.userId !== undefined) message.userId = previous.userId;
      sync.post(message);
    }
    if (previous !== undefined) emitter.emit('logged-out', { reason, sessionId: previous.sessionId, source });
    try {
      await store?.clear();
    } catch (err) {
      throw storeError(err);
    }
  }

  async function onTabMessage(message: TabMessage): Promise<void> {
    if (disposed) return;
    if (message.type === 'tokens') {
      const same = current !== undefined && current.sessionId === message.tokens.sessionId;
      // Cookie mode: every tab shares the one cookie, so a login in any tab logs all in.
      if (same || cfg.cookieMode) await adopt(message.tokens, same ? 'refreshed' : 'logged-in', 'other-tab');
      return;
    }
    const t = current;
    if (t === undefined) return;
    const match =
      cfg.cookieMode ||
      t.sessionId === message.sessionId ||
      (message.all && message.userId !== undefined && t.userId === message.userId);
    if (match) await end(message.reason, 'other-tab', message.all);
  }

  async function runRefresh(): Promise<Tokens> {
    const gen = generation;
    const before = current?.accessToken;
    return sync.withLock(async () => {
      if (gen !== generation) throw notLoggedIn();
      // Another tab sharing this store may have rotated the refresh token while we waited.
      if (store !== undefined && current !== undefined) {
        const stored = fromStored(await store.get(), clock());
        if (stored?.sessionId === current.sessionId && stored.refreshToken !== current.refreshToken) {
          current = stored;
          schedule();
        }
      }
      const t = current;
      if (t !== undefined && t.accessToken !== before && !needsRefresh(t)) return t;
      if (t === undefined && !cfg.cookieMode) throw notLoggedIn();
      let tokens: Tokens;
      try {
        const res = await authCall(
          ctx,
          'POST',
          '/auth/token',
          cfg.cookieMode ? { body: {}, cookieAuth: true } : { body: { refresh_token: t?.refreshToken } },
        );
        const pair = parseTokenPair(await readJson(res), cfg.cookieMode);
        tokens = tokensFromPair(pair, clock());
      } catch (err) {
        if (t !== undefined && gen === generation) {
          // REFRESH_TOKEN_REUSED: the server revoked the whole session (a copy of the token was
          // used elsewhere). INVALID_REFRESH_TOKEN: ended by the server, or past its end.
          if (isGatehouseCode(err, 'REFRESH_TOKEN_REUSED')) await end('reuse_detected', 'local', false);
          else if (isGatehouseCode(err, 'INVALID_REFRESH_TOKEN')) {
            await end(clock() >= t.sessionExpiresAt - SAME_END_MS ? 'expired' : 'revoked', 'local', false);
          }
        }
        throw err;
      }
      // Logged out (or in again) while the refresh was in flight: these tokens are not ours.
      if (gen !== generation) throw notLoggedIn();
      await adopt(tokens, t === undefined ? 'logged-in' : 'refreshed', 'local');
      return tokens;
    });
  }

  const refreshNow = singleFlight(runRefresh);

  async function refreshUnless(stale: string): Promise<Tokens> {
    const t = current;
    if (t !== undefined && t.accessToken !== stale && !needsRefresh(t)) return t;
    return refreshNow();
  }

  return {
    emitter,
    tokens: () => current,
    load() {
      loaded ??= (async () => {
        if (store === undefined) return;
        let record: unknown;
        try {
          record = await store.get();
        } catch (err) {
          loaded = undefined;
          throw storeError(err);
        }
        const t = fromStored(record, clock());
        if (t !== undefined && current === undefined) {
          current = t;
          schedule();
        }
      })();
      return loaded;
    },
    needsRefresh,
    refreshUnless,
    refreshNow,
    adopt,
    end,
    checkDeadlines,
    dispose() {
      disposed = true;
      deadline.cancel();
      sync.close();
      emitter.clear();
    },
  };
}
