/**
 * The two systems under the same load: Gatehouse (auth server + resource servers, each in
 * its own process) and the seed-style baseline. Order within a system: refresh (on the
 * pre-seeded sessions), the sweep, me, protected, and login last (logins add sessions).
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type Host, startHost } from './children.js';
import { type LoadSpec, runLoad } from './load.js';
import { argon2Parallel, owaspHash } from './machine.js';
import type { Machine, Row, SweepPoint, System } from './rows.js';
import { toRow } from './rows.js';
import {
  baselineLogin,
  baselineRefresh,
  bearerGet,
  gatehouseLogin,
  gatehouseRefresh,
  plainGet,
} from './scenarios.js';
import type { Settings } from './settings.js';

/** What a suite produced. */
export interface SuiteResult {
  rows: Row[];
  sweep: SweepPoint[];
}

type Log = (line: string) => void;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** An unmeasured warm-up (JIT, connection pools, caches), then the measured run. */
async function measured<R>(host: Host<R>, spec: LoadSpec, s: Settings) {
  await runLoad({ ...spec, durationS: s.warmupS });
  return host.measure(() => runLoad(spec));
}

async function sweep(
  spec: LoadSpec,
  peak: number,
  s: Settings,
  system: System,
  log: Log,
): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  for (const fraction of s.sweepFractions) {
    const offered = Math.max(1, Math.round(peak * fraction));
    const r = await runLoad({ ...spec, rate: offered, durationS: s.sweepS });
    points.push({ op: 'refresh', system, offeredPerSec: offered, ...pick(r) });
    log(`  sweep ${system} refresh @${offered}/s: ${r.reqPerSec}/s p99 ${r.p99Ms} ms`);
  }
  return points;
}

function pick(r: { reqPerSec: number; p50Ms: number; p99Ms: number; errorRate: number }) {
  return { reqPerSec: r.reqPerSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errorRate: r.errorRate };
}

interface GatehouseReady {
  url: string;
  refreshTokens: string[];
  clientId: string;
  clientSecret: string;
}

interface ResourceReady {
  urls: { expressAuthed: string; expressPlain: string; fastifyAuthed: string; fastifyPlain: string };
}

/**
 * Gatehouse on SQLite (or `databaseUrl`): login, refresh, me on the auth server; protected
 * routes on Express and Fastify resource servers with their no-auth twins.
 *
 * @example
 * ```ts
 * const { rows } = await runGatehouse(settings, machine, '/tmp/bench', console.error);
 * ```
 */
export async function runGatehouse(
  s: Settings,
  machine: Machine,
  dir: string,
  log: Log,
  system: System = 'gatehouse',
  databaseUrl = join(dir, 'gatehouse.db'),
): Promise<SuiteResult> {
  const port = await freePort();
  log(`${system}: starting the auth server, seeding ${s.sessions} sessions`);
  const auth = await startHost<GatehouseReady>(
    'host-gatehouse.ts',
    [databaseUrl, String(s.sessions), String(port)],
    s.hashConcurrency === undefined ? {} : { BENCH_HASH_CONCURRENCY: String(s.hashConcurrency) },
  );
  const hosts: Host<unknown>[] = [auth];
  try {
    const { url } = auth.ready;
    const pool = auth.ready.refreshTokens;
    // Access tokens for me/protected, from sessions set aside (not used by the refresh run).
    const accessTokens: string[] = [];
    for (const token of pool.splice(0, 64)) {
      const res = await fetch(`${url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
      });
      if (res.status !== 200) throw new Error(`${system}: setup refresh failed with ${res.status}`);
      accessTokens.push(((await res.json()) as { access_token: string }).access_token);
    }
    const rows: Row[] = [];
    const base = { system, connections: s.connections, durationS: s.durationS, sessions: s.sessions };

    const refreshSpec = {
      url,
      requests: gatehouseRefresh(pool),
      connections: s.connections,
      durationS: s.durationS,
    };
    const refresh = await measured(auth, refreshSpec, s);
    rows.push(toRow({ ...base, op: 'refresh', framework: 'fastify' }, refresh.result, refresh.stats));
    log(`${system} refresh: ${refresh.result.reqPerSec}/s`);
    const points = await sweep(refreshSpec, refresh.result.reqPerSec, s, system, log);

    const me = await measured(
      auth,
      {
        url,
        requests: bearerGet('/auth/me', accessTokens),
        connections: s.connections,
        durationS: s.durationS,
      },
      s,
    );
    rows.push(toRow({ ...base, op: 'me', framework: 'fastify' }, me.result, me.stats));
    log(`${system} me: ${me.result.reqPerSec}/s`);

    // The resource servers never touch the auth server's database: measured once, on SQLite.
    const frameworks = system === 'gatehouse' ? (['express', 'fastify'] as const) : [];
    const rs = await startHost<ResourceReady>('host-resource.ts', [url, auth.ready.clientId], {
      BENCH_CLIENT_SECRET: auth.ready.clientSecret,
    });
    hosts.push(rs);
    for (const framework of frameworks) {
      const authed = rs.ready.urls[framework === 'express' ? 'expressAuthed' : 'fastifyAuthed'];
      const plain = rs.ready.urls[framework === 'express' ? 'expressPlain' : 'fastifyPlain'];
      const load = { connections: s.connections, durationS: s.durationS };
      const without = await measured(rs, { url: plain, requests: plainGet('/articles'), ...load }, s);
      const withAuth = await measured(
        rs,
        { url: authed, requests: bearerGet('/articles', accessTokens), ...load },
        s,
      );
      const row = toRow({ ...base, op: 'protected', framework }, withAuth.result, withAuth.stats);
      row.noAuthReqPerSec = without.result.reqPerSec;
      row.noAuthRatio = Math.round((withAuth.result.reqPerSec / without.result.reqPerSec) * 1000) / 1000;
      rows.push(row);
      log(`${system} protected (${framework}): ${row.reqPerSec}/s, no auth ${row.noAuthReqPerSec}/s`);
    }

    // The limit as the cores deliver it right now (the machine is shared), servers idle.
    const limit = await argon2Parallel(await owaspHash(), machine.cores, 2000);
    const login = await measured(
      auth,
      { url, requests: gatehouseLogin(), connections: s.loginConnections, durationS: s.durationS },
      s,
    );
    const loginRow = toRow(
      { ...base, op: 'login', framework: 'fastify', connections: s.loginConnections },
      login.result,
      login.stats,
    );
    loginRow.argon2LimitPerSec = limit.perSec;
    loginRow.argon2LimitRatio = Math.round((loginRow.reqPerSec / limit.perSec) * 1000) / 1000;
    loginRow.argon2SerialLimitRatio =
      Math.round((loginRow.reqPerSec / machine.argon2.limitPerSec) * 1000) / 1000;
    rows.push(loginRow);
    log(
      `${system} login: ${loginRow.reqPerSec}/s (argon2 limit now ${limit.perSec}/s, idle single-hash ${machine.argon2.limitPerSec}/s)`,
    );
    return { rows, sweep: points };
  } finally {
    for (const h of hosts) await h.stop();
  }
}

interface BaselineReady {
  urls: { auth: string; resource: string };
  refreshTokens: string[];
}

/**
 * The seed-style baseline (express + jsonwebtoken, HS256, in-memory refresh array).
 *
 * @example
 * ```ts
 * const { rows } = await runBaseline(settings, console.error);
 * ```
 */
export async function runBaseline(s: Settings, log: Log): Promise<SuiteResult> {
  log(`baseline: starting, ${s.sessions} refresh tokens in its array`);
  const host = await startHost<BaselineReady>('host-baseline.ts', [String(s.sessions)]);
  try {
    const { auth, resource } = host.ready.urls;
    const rows: Row[] = [];
    const base = {
      system: 'baseline' as const,
      framework: 'express' as const,
      connections: s.connections,
      durationS: s.durationS,
      sessions: s.sessions,
    };
    const refreshSpec = {
      url: auth,
      requests: baselineRefresh(host.ready.refreshTokens),
      connections: s.connections,
      durationS: s.durationS,
    };
    const refresh = await measured(host, refreshSpec, s);
    rows.push(toRow({ ...base, op: 'refresh' }, refresh.result, refresh.stats));
    log(`baseline refresh: ${refresh.result.reqPerSec}/s`);
    const points = await sweep(refreshSpec, refresh.result.reqPerSec, s, 'baseline', log);

    // Its access tokens live 30 s (as the seed sets them): fetched right before use.
    const accessTokens: string[] = [];
    for (let i = 0; i < 64; i++) {
      const res = await fetch(`${auth}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `reader${i}` }),
      });
      accessTokens.push(((await res.json()) as { accessToken: string }).accessToken);
    }
    const load = { connections: s.connections, durationS: s.durationS };
    const without = await measured(
      host,
      { url: resource, requests: plainGet('/articles-noauth'), ...load },
      s,
    );
    const withAuth = await measured(
      host,
      { url: resource, requests: bearerGet('/articles', accessTokens), ...load },
      s,
    );
    const row = toRow({ ...base, op: 'protected' }, withAuth.result, withAuth.stats);
    row.noAuthReqPerSec = without.result.reqPerSec;
    row.noAuthRatio = Math.round((withAuth.result.reqPerSec / without.result.reqPerSec) * 1000) / 1000;
    rows.push(row);
    log(`baseline protected: ${row.reqPerSec}/s, no auth ${row.noAuthReqPerSec}/s`);

    const login = await measured(
      host,
      { url: auth, requests: baselineLogin(), connections: s.loginConnections, durationS: s.durationS },
      s,
    );
    rows.push(toRow({ ...base, op: 'login', connections: s.loginConnections }, login.result, login.stats));
    log(`baseline login: ${login.result.reqPerSec}/s`);
    return { rows, sweep: points };
  } finally {
    await host.stop();
  }
}
