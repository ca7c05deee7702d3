/**
 * `createClient` options, checked once at construction; a bad value throws `OPTION_INVALID`
 * naming the option (never its value: it could be a secret).
 */
import { parseDuration } from '../core/duration.js';
import { ClientError } from './errors.js';
import { isBrowser } from './tab-sync.js';
import { memoryStore } from './token-store.js';
import type { ClientOptions, DurationInput, LockManagerLike, TokenStore } from './types.js';

export interface ResolvedOptions {
  /** The auth server base URL without a trailing slash. */
  baseUrl: string;
  authOrigin: string;
  fetch: typeof fetch;
  /** undefined in cookie mode (no refresh token in JavaScript). */
  store: TokenStore | undefined;
  cookieMode: boolean;
  refreshMarginMs: number;
  expiringWarningMs: number;
  autoRefresh: boolean;
  clock: () => number;
  tokenOrigins: Set<string>;
  crossTab: string | undefined;
  locks: LockManagerLike | undefined | 'detect';
}

const invalid = (option: string, rule: string) =>
  new ClientError('OPTION_INVALID', `createClient: the ${option} option ${rule}`, { reason: option });

function durationMs(option: string, value: DurationInput | undefined, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds * 1000;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw invalid(option, 'must be a non-negative number of seconds');
    return value * 1000;
  }
  try {
    return parseDuration(value) * 1000;
  } catch {
    throw invalid(option, "must be a duration such as '30s' or '5m'");
  }
}

function originOf(option: string, value: unknown): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw invalid(option, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(option, 'must be an http(s) URL');
  return url.origin;
}

function isStore(value: unknown): value is TokenStore {
  const s = value as Partial<TokenStore> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.get === 'function' &&
    typeof s.set === 'function' &&
    typeof s.clear === 'function'
  );
}

/**
 * Validates and fills in defaults.
 *
 * @example
 * ```ts
 * const resolved = resolveOptions({ baseUrl: 'http://127.0.0.1:5000' });
 * ```
 */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object');
  const authOrigin = originOf('baseUrl', options.baseUrl);
  const baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
  if (typeof fetchImpl !== 'function') throw invalid('fetch', 'must be a function (no global fetch here)');
  const cookieMode = options.cookieMode ?? false;
  if (typeof cookieMode !== 'boolean') throw invalid('cookieMode', 'must be a boolean');
  let store: TokenStore | undefined;
  if (options.storage === undefined || options.storage === 'memory') store = memoryStore();
  else if (isStore(options.storage)) store = options.storage;
  else throw invalid('storage', "must be 'memory' or an object with get, set and clear");
  const clock = options.clock ?? (() => Date.now());
  if (typeof clock !== 'function') throw invalid('clock', 'must be a function returning epoch milliseconds');
  const tokenOrigins = new Set([authOrigin]);
  if (options.tokenOrigins !== undefined) {
    if (!Array.isArray(options.tokenOrigins)) throw invalid('tokenOrigins', 'must be an array of origins');
    for (const origin of options.tokenOrigins) tokenOrigins.add(originOf('tokenOrigins', origin));
  }
  const autoRefresh = options.autoRefresh ?? false;
  if (typeof autoRefresh !== 'boolean') throw invalid('autoRefresh', 'must be a boolean');
  const crossTab = options.crossTab;
  if (crossTab !== undefined && typeof crossTab !== 'boolean' && typeof crossTab !== 'string')
    throw invalid('crossTab', 'must be a boolean or a channel name');
  const locks = options.locks;
  if (
    locks !== undefined &&
    locks !== false &&
    typeof (locks as LockManagerLike | null)?.request !== 'function'
  )
    throw invalid('locks', 'must be false or an object with request(name, callback)');
  return {
    baseUrl,
    authOrigin,
    fetch: fetchImpl,
    // Cookie mode: the refresh token lives only in the HttpOnly cookie, so there is nothing to store.
    store: cookieMode ? undefined : store,
    cookieMode,
    refreshMarginMs: durationMs('refreshMargin', options.refreshMargin, 30),
    expiringWarningMs: durationMs('expiringWarning', options.expiringWarning, 300),
    autoRefresh,
    clock,
    tokenOrigins,
    crossTab:
      typeof crossTab === 'string'
        ? crossTab
        : (crossTab ?? isBrowser())
          ? `gatehouse:${baseUrl}`
          : undefined,
    locks: locks === false ? undefined : (locks ?? 'detect'),
  };
}
