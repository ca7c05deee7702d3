/**
 * Test harness: a real auth server on a real SQLite file in a temp folder, with low argon2
 * parameters so that tests stay fast. No port unless a test calls `listen()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { GatehouseError } from 'gatehouse/errors';
import { loadConfig } from '../../src/config/env.js';
import { type AuthServer, type AuthServerOptions, createAuthServer } from '../../src/http/server.js';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import type { Store } from '../../src/storage/types.js';

/** Fast argon2id for tests (the service's own test proves the OWASP defaults). */
export const FAST_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface Harness {
  server: AuthServer;
  dir: string;
  dbPath: string;
  /** Every log line written so far. */
  logs: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  clock?: () => number;
  logLevel?: string;
  extra?: Partial<AuthServerOptions>;
  /** Wraps the real SQLite store (fault injection). */
  wrapStore?: (store: Store) => Store;
}

/** Starts a server on a fresh temp database. */
export async function startServer(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-http-'));
  const dbPath = join(dir, 'gatehouse.db');
  const config = loadConfig({
    env: { GATEHOUSE_DATABASE_URL: dbPath, GATEHOUSE_LOG_LEVEL: options.logLevel ?? 'info', ...options.env },
    envFile: false,
  });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const real = await createSqliteStore({ path: dbPath });
  const store = options.wrapStore ? options.wrapStore(real) : real;
  const opts: AuthServerOptions = {
    config,
    store,
    passwordHashing: FAST_HASHING,
    processMetrics: false,
    logger: { stream },
    ...options.extra,
  };
  if (options.clock !== undefined) opts.clock = options.clock;
  const server = await createAuthServer(opts);
  return {
    server,
    dir,
    dbPath,
    logs,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CallOptions {
  body?: unknown;
  /** Raw payload (string), sent as is. */
  raw?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** One request through `app.inject` with a JSON body. */
export function call(
  server: AuthServer,
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH',
  url: string,
  options: CallOptions = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.raw !== undefined) payload = options.raw;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json';
  return server.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
}

export const PASSWORD = 'correct horse battery staple';

/** Registers and logs in a user; returns the token pair. */
export async function login(
  server: AuthServer,
  username = 'alice',
  password = PASSWORD,
): Promise<{ access_token: string; refresh_token: string; session_id: string; expires_in: number }> {
  const reg = await call(server, 'POST', '/auth/register', { body: { username, password } });
  if (reg.statusCode !== 201 && reg.statusCode !== 409)
    throw new Error(`register failed: ${reg.statusCode} ${reg.body}`);
  const res = await call(server, 'POST', '/auth/login', { body: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Asserts the shape of a problem+json response and returns its body. */
export function problem(res: LightMyRequestResponse): {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
} {
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${type} (${res.statusCode}): ${res.body.slice(0, 200)}`);
  }
  const body = res.json();
  if (body.status !== res.statusCode) throw new Error(`status mismatch ${body.status} vs ${res.statusCode}`);
  if (/\bat .+:\d+:\d+/.test(res.body)) throw new Error('stack trace leaked');
  return body;
}

/**
 * A real store whose methods can be made to fail like a locked or unreachable database
 * (`SERVICE_UNAVAILABLE` with `retryAfter`, as the SQLite backend reports it).
 */
export function faultyStore(store: Store): { store: Store; fail: Set<string>; down: { all: boolean } } {
  const fail = new Set<string>();
  const down = { all: false };
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (prop !== 'close' && (down.all || fail.has(String(prop)))) {
          return Promise.reject(
            new GatehouseError('SERVICE_UNAVAILABLE', 'database is locked', { retryAfter: 2 }),
          );
        }
        return value.apply(target, args);
      };
    },
  });
  return { store: proxy, fail, down };
}
