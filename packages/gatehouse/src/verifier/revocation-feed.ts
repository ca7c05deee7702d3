/**
 * The revocation feed client: follows `GET {url}?after=CURSOR[&wait=N]` with client
 * credentials and keeps the in-memory {@link DenySet}. Wire format: docs/api/revocation-feed.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GatehouseError } from '../errors.js';
import { DenySet, type RevocationEntry, type RevocationKind, type RevocationSubject } from './deny-set.js';
import { basicAuth, FetchFailure, type FetchLike, getJson } from './http.js';

/** Options of {@link RevocationFeed} (already validated by `createVerifier`). */
export interface RevocationFeedConfig {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Seconds between polls when nothing new arrived. */
  interval: number;
  /** Long-poll: seconds the server may hold a request (0 = plain polling). */
  wait: number;
  /** Seconds without a successful poll after which `assertFresh` fails closed; undefined = never. */
  maxStaleness: number | undefined;
  /** Seconds per request (added to `wait`). */
  timeout: number;
  /** Seconds an entry is kept after its `expiresAt` (the verifier's clock tolerance). */
  grace: number;
  fetch: FetchLike;
  /** Current time in epoch seconds. */
  clock: () => number;
  /** Called when a `kid` entry arrives, so the key cache can drop that key. */
  onKidRevoked?: (kid: string) => void;
}

/** Feed health, as reported by `verifier.status()`. */
export interface RevocationFeedStatus {
  url: string;
  /** Last request succeeded. */
  up: boolean;
  cursor: number;
  /** Epoch seconds of the last successful poll, or null. */
  lastSuccessAt: number | null;
  /** Seconds since the last successful poll (since start-up when there was none). */
  lagSeconds: number;
  /** `maxStaleness` is set and exceeded: verification fails closed. */
  stale: boolean;
  /** Reason of the last failure (`network`, `timeout`, `http_401`, `bad_body`...), or null. */
  lastError: string | null;
  deny: ReturnType<DenySet['sizes']>;
}

const KINDS = new Set<string>(['jti', 'sid', 'sub', 'kid']);

/** Validates one response body; throws FetchFailure('bad_body') when it is not the wire format. */
function parseFeed(body: unknown): { entries: RevocationEntry[]; cursor: number; unknownKinds: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new FetchFailure('bad_body');
  const { entries, cursor } = body as { entries?: unknown; cursor?: unknown };
  if (!Array.isArray(entries) || !Number.isSafeInteger(cursor) || (cursor as number) < 0) {
    throw new FetchFailure('bad_body');
  }
  const out: RevocationEntry[] = [];
  let unknownKinds = 0;
  for (const e of entries as unknown[]) {
    if (typeof e !== 'object' || e === null) throw new FetchFailure('bad_body');
    const { kind, value, notBefore, expiresAt } = e as Record<string, unknown>;
    const validTimes =
      typeof expiresAt === 'number' &&
      Number.isFinite(expiresAt) &&
      (notBefore === null ||
        notBefore === undefined ||
        (typeof notBefore === 'number' && Number.isFinite(notBefore)));
    if (typeof kind !== 'string' || typeof value !== 'string' || value === '' || !validTimes) {
      // A malformed entry rejects the whole response: skipping it could silently un-revoke.
      throw new FetchFailure('bad_body');
    }
    // Forward compatibility: a kind this client does not know is skipped, not fatal.
    if (!KINDS.has(kind)) {
      unknownKinds += 1;
      continue;
    }
    out.push({
      kind: kind as RevocationKind,
      value,
      notBefore: (notBefore as number | null) ?? null,
      expiresAt,
    });
  }
  return { entries: out, cursor: cursor as number, unknownKinds };
}

/**
 * @example
 * ```ts
 * const feed = new RevocationFeed({ url: 'http://127.0.0.1:5000/auth/revocations', clientId, clientSecret,
 *   interval: 1, wait: 0, maxStaleness: undefined, timeout: 5, grace: 5, fetch, clock: () => Date.now() / 1000 });
 * feed.start();
 * feed.check({ header, payload }); // 'jti' | 'sid' | 'sub' | 'kid' | undefined
 * ```
 */
export class RevocationFeed {
  readonly deny = new DenySet();
  readonly #config: RevocationFeedConfig;
  readonly #authorization: string;
  readonly #startedAt: number;
  readonly #closer = new AbortController();
  #cursor = 0;
  #lastSuccessAt: number | null = null;
  #lastError: string | null = null;
  #inflight: Promise<number> | undefined;
  #first: Promise<{ ok: boolean; received: number; elapsed: number }> | undefined;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #running = false;

  constructor(config: RevocationFeedConfig) {
    this.#config = config;
    this.#authorization = basicAuth(config.clientId, config.clientSecret);
    this.#startedAt = config.clock();
  }

  /** Starts the background polling loop (idempotent). Its timers never keep the process alive. */
  start(): void {
    if (this.#running || this.#closer.signal.aborted) return;
    this.#running = true;
    void this.#loop(this.#firstPoll());
  }

  /** Resolves once the first poll has finished (successfully or not); starts it if needed. */
  async ready(): Promise<void> {
    await this.#firstPoll();
  }

  /**
   * Without the background loop (`autoStart: false`, e.g. serverless): starts a poll in the
   * background when the last attempt is older than `interval`. Never waits for it.
   */
  pollIfDue(): void {
    if (this.#running || this.#inflight !== undefined || this.#closer.signal.aborted) return;
    if (this.#config.clock() - this.#lastAttemptAt < this.#config.interval) return;
    this.sync().catch(() => {});
  }

  /** Whether at least one poll has succeeded. */
  get synced(): boolean {
    return this.#lastSuccessAt !== null;
  }

  /**
   * One poll (single-flight: concurrent callers share it). Resolves to the number of entries
   * received; rejects with a FetchFailure, leaving the previous state untouched.
   */
  sync(): Promise<number> {
    this.#inflight ??= this.#poll().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** The kind of revocation that denies this verified token, if any. */
  check(token: RevocationSubject): RevocationKind | undefined {
    return this.deny.check(token);
  }

  /** Throws REVOCATION_STALE (503) when `maxStaleness` is set and exceeded: fail closed. */
  assertFresh(): void {
    const max = this.#config.maxStaleness;
    if (max === undefined) return;
    const lag = this.#lag();
    if (this.#lastSuccessAt === null || lag > max) {
      throw new GatehouseError('REVOCATION_STALE', 'Revocation state is too old to verify tokens safely', {
        retryAfter: Math.max(1, Math.ceil(this.#config.interval)),
      });
    }
  }

  /** Health of the feed. */
  status(): RevocationFeedStatus {
    const lag = this.#lag();
    const max = this.#config.maxStaleness;
    return {
      url: this.#config.url,
      up: this.#lastError === null && this.#lastSuccessAt !== null,
      cursor: this.#cursor,
      lastSuccessAt: this.#lastSuccessAt,
      lagSeconds: lag,
      stale: max !== undefined && (this.#lastSuccessAt === null || lag > max),
      lastError: this.#lastError,
      deny: this.deny.sizes(),
    };
  }

  /** Stops polling and aborts a request in flight. */
  close(): void {
    this.#running = false;
    this.#closer.abort();
  }

  #lag(): number {
    return Math.max(0, this.#config.clock() - (this.#lastSuccessAt ?? this.#startedAt));
  }

  #firstPoll(): Promise<{ ok: boolean; received: number; elapsed: number }> {
    this.#first ??= this.#timedSync();
    return this.#first;
  }

  async #poll(): Promise<number> {
    const c = this.#config;
    this.#lastAttemptAt = c.clock();
    const url = new URL(c.url);
    url.searchParams.set('after', String(this.#cursor));
    // The first poll loads the current state and must answer at once (verify() may be waiting
    // for it); only the following ones are long-polls.
    const wait = this.#lastSuccessAt === null ? 0 : c.wait;
    if (wait > 0) url.searchParams.set('wait', String(wait));
    try {
      const { body } = await getJson(url, {
        fetch: c.fetch,
        headers: { authorization: this.#authorization },
        timeoutMs: (c.timeout + wait) * 1000,
        signal: this.#closer.signal,
      });
      const feed = parseFeed(body);
      const now = c.clock();
      for (const entry of feed.entries) {
        // Already past its expiry: it can no longer hit any token the verifier would accept.
        if (entry.expiresAt + c.grace < now) continue;
        this.deny.add(entry);
        if (entry.kind === 'kid') c.onKidRevoked?.(entry.value);
      }
      this.#cursor = feed.cursor;
      this.#lastSuccessAt = now;
      this.#lastError = null;
      this.deny.sweep(now - c.grace);
      return feed.entries.length + feed.unknownKinds;
    } catch (err) {
      this.#lastError = err instanceof FetchFailure ? err.reason : 'bad_body';
      throw err;
    }
  }

  async #timedSync(): Promise<{ ok: boolean; received: number; elapsed: number }> {
    const started = this.#config.clock();
    let ok = true;
    let received = 0;
    try {
      received = await this.sync();
    } catch {
      ok = false;
    }
    return { ok, received, elapsed: this.#config.clock() - started };
  }

  async #loop(first: Promise<{ ok: boolean; received: number; elapsed: number }>): Promise<void> {
    const c = this.#config;
    const signal = this.#closer.signal;
    let last = await first;
    // The first poll was a plain one: with long-polling on, the first long-poll starts at once.
    let immediate = last.ok && c.wait > 0;
    while (!signal.aborted) {
      // Catching up (entries arrived): ask again at once. Otherwise wait out the interval,
      // counting the time a long-poll was held, so a server that ignores `wait` is not hammered.
      const delay =
        immediate || (last.ok && last.received > 0)
          ? 0
          : Math.max(0, c.interval - (last.ok ? last.elapsed : 0));
      immediate = false;
      try {
        await sleep(delay * 1000, undefined, { ref: false, signal });
      } catch {
        break; // aborted by close()
      }
      last = await this.#timedSync();
    }
  }
}
