/**
 * Several auth-server instances (issue 8): A and B share one PostgreSQL database and one Redis,
 * with an Express resource server (following B's revocation feed, long-poll) and a Fastify one
 * (following A's, long-poll), both taking their keys from A's JWKS. Everything over real HTTP
 * on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import { authenticate as expressAuth } from 'gatehouse/express';
import { gatehouse } from 'gatehouse/fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../../src/config/env.js';
import { type AuthServer, createAuthServer } from '../../src/http/server.js';
import { freePort } from '../cli/helpers.js';
import { FAST_HASHING, PASSWORD } from '../http/helpers.js';
import { type PgServer, startPostgres } from '../support/postgres.js';
import { type RedisServer, startRedis } from '../support/redis.js';

interface Pair {
  access_token: string;
  refresh_token: string;
  session_id: string;
}

let pgServer: PgServer;
let redisServer: RedisServer;
let dbUrl: string;
let a: AuthServer;
let b: AuthServer;
let urlA: string;
let urlB: string;
/** Both instances' clock: real time plus an offset the grace test moves forward. */
let offset = 0;
const clock = () => Date.now() + offset;
const resourceServers: { name: string; url: string; close(): Promise<void> }[] = [];

async function instance(port: number, issuer: string): Promise<AuthServer> {
  const config = loadConfig({
    env: {
      GATEHOUSE_DATABASE_URL: dbUrl,
      GATEHOUSE_REDIS_URL: redisServer.url,
      GATEHOUSE_HOST: '127.0.0.1',
      GATEHOUSE_PORT: String(port),
      GATEHOUSE_ISSUER: issuer,
      GATEHOUSE_KEY_PROPAGATION: '0s',
      GATEHOUSE_LOG_LEVEL: 'warn',
    },
    envFile: false,
  });
  return createAuthServer({
    config,
    clock,
    passwordHashing: FAST_HASHING,
    logger: false,
    processMetrics: false,
  });
}

async function post(base: string, path: string, body: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function signIn(base: string, username: string): Promise<Pair> {
  const res = await post(base, '/auth/login', { username, password: PASSWORD });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Pair;
}

async function statuses(token: string): Promise<number[]> {
  return Promise.all(
    resourceServers.map(async (r) => {
      const res = await fetch(`${r.url}/whoami`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      return res.status;
    }),
  );
}

async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (performance.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function kidOf(jwt: string): string {
  const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid?: string };
  return String(header.kid);
}

before(async () => {
  [pgServer, redisServer] = await Promise.all([startPostgres(), startRedis()]);
  dbUrl = await pgServer.createDatabase();
  const [portA, portB] = [await freePort(), await freePort()];
  // One issuer for the deployment (what a load balancer in front of both would be): A's URL.
  const issuer = `http://127.0.0.1:${portA}`;
  // Both start at once against an empty database: migrations race, the advisory lock decides.
  [a, b] = await Promise.all([instance(portA, issuer), instance(portB, issuer)]);
  urlA = await a.listen();
  urlB = await b.listen();
  // Started at the same instant on an empty database, both may generate a first key; each
  // then converges on one signer and publishes the other's key once it reloads from storage
  // (within 5 s, as the contract says). Until then a resource server following A's JWKS would
  // not know B's key, so the scenarios below start from converged instances.
  const kids = async (s: typeof a) =>
    (await s.service.jwks()).jwks.keys
      .map((k) => k.kid)
      .sort()
      .join();
  await until('both instances publish the same keys', 7_000, async () =>
    (await kids(a)) === (await kids(b)) ? true : undefined,
  );
  const { client_id, client_secret } = await a.service.clients.add('multi-instance-rs');
  const common = { issuer, audience: 'gatehouse', jwks: { cooldown: '1s' } };

  const expressApp = express();
  const auth = expressAuth({
    ...common,
    revocation: {
      clientId: client_id,
      clientSecret: client_secret,
      url: `${urlB}/auth/revocations`,
      wait: 20,
    },
  });
  expressApp.get('/whoami', auth, (req, res) => {
    res.json({ sub: req.auth?.claims.sub });
  });
  const server: Server = await new Promise((resolve) => {
    const s = expressApp.listen(0, '127.0.0.1', () => resolve(s));
  });
  resourceServers.push({
    name: 'express',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      auth.verifier.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  });
  const fastifyApp = Fastify();
  await fastifyApp.register(gatehouse, {
    ...common,
    revocation: { clientId: client_id, clientSecret: client_secret, wait: 20 },
  });
  fastifyApp.get('/whoami', { preHandler: fastifyApp.authenticate }, async (request) => ({
    sub: request.auth?.claims.sub,
  }));
  resourceServers.push({
    name: 'fastify',
    url: await fastifyApp.listen({ port: 0, host: '127.0.0.1' }),
    close: () => fastifyApp.close(),
  });
  for (const name of ['alice', 'bob', 'carol', 'dave']) {
    const res = await post(urlA, '/auth/register', { username: name, password: PASSWORD });
    assert.equal(res.status, 201, await res.text());
  }
});

after(async () => {
  for (const r of resourceServers) await r.close().catch(() => {});
  await a?.close();
  await b?.close();
  await redisServer?.stop();
  await pgServer?.stop();
});

describe('two auth-server instances on PostgreSQL + Redis', () => {
  it('log in through A, refresh through B, log out through A: both resource servers refuse within 2 s', async () => {
    const first = await signIn(urlA, 'alice');
    const refreshed = await post(urlB, '/auth/token', { refresh_token: first.refresh_token });
    assert.equal(refreshed.status, 200);
    const second = (await refreshed.json()) as Pair;
    assert.deepEqual(await statuses(first.access_token), [200, 200]);
    assert.deepEqual(await statuses(second.access_token), [200, 200]);
    // Both feeds are long-polling (wait 20 s): only a nudge can make this fast. Express follows
    // B, so A's logout reaches it through Redis pub/sub.
    const started = performance.now();
    const out = await post(urlA, '/auth/logout', { refresh_token: second.refresh_token });
    assert.ok(out.status === 200 || out.status === 204, String(out.status));
    const ms = await until('both refuse', 2_000, async () => {
      const all = [...(await statuses(first.access_token)), ...(await statuses(second.access_token))];
      return all.every((s) => s === 401) ? performance.now() - started : undefined;
    });
    assert.ok(ms < 2_000);
  });

  it('a key rotated through A signs on B within 5 s, and both resource servers accept it', async () => {
    let pair = await signIn(urlB, 'dave');
    const before = kidOf(pair.access_token);
    const rotated = await a.service.admin.rotateKey(null);
    assert.notEqual(rotated.kid, before);
    // Refresh through B (logins are throttled per IP; refreshes are not) until it signs with
    // the new key: B reloads keys from the database every 5 s at most.
    const token = await until('B signs with the new key', 6_000, async () => {
      await new Promise((r) => setTimeout(r, 200));
      const res = await post(urlB, '/auth/token', { refresh_token: pair.refresh_token });
      assert.equal(res.status, 200);
      pair = (await res.json()) as Pair;
      return kidOf(pair.access_token) === rotated.kid ? pair.access_token : undefined;
    });
    // The resource servers look the new kid up in A's JWKS (cooldown 1 s).
    await until('accepted everywhere', 3_000, async () =>
      (await statuses(token)).every((s) => s === 200) ? true : undefined,
    );
  });

  it('200 concurrent refreshes of one token over both instances: one successor, none valid twice after the grace', async () => {
    const pair = await signIn(urlA, 'bob');
    const responses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const res = await post(i % 2 ? urlA : urlB, '/auth/token', { refresh_token: pair.refresh_token });
        return { status: res.status, body: (await res.json()) as Pair };
      }),
    );
    assert.deepEqual(
      [...new Set(responses.map((r) => r.status))],
      [200],
      'every racer is answered 200 (sealed-successor grace)',
    );
    const successors = new Set(responses.map((r) => r.body.refresh_token));
    assert.equal(successors.size, 1, 'all 200 hold the same successor: one chain');
    const [successor] = [...successors] as [string];
    assert.notEqual(successor, pair.refresh_token);
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    try {
      const gens = await db.query('select count(*)::int as n from refresh_tokens where session_id = $1', [
        pair.session_id,
      ]);
      assert.equal(gens.rows[0].n, 2, 'exactly one generation was added');
    } finally {
      await db.end();
    }
    // After the grace (10 s by default, moved past with the clock), the old token is a reuse:
    // refused, and the whole session (so the successor too) is revoked.
    offset += 11_000;
    const reuse = await post(urlB, '/auth/token', { refresh_token: pair.refresh_token });
    await reuse.arrayBuffer();
    assert.equal(reuse.status, 401);
    for (const base of [urlA, urlB]) {
      const res = await post(base, '/auth/token', { refresh_token: successor });
      await res.arrayBuffer();
      assert.equal(res.status, 401, `${base} accepted the successor of a reused token`);
    }
  });

  it('throttling counts failed logins made on both instances together (in Redis)', async () => {
    const results: number[] = [];
    // The account limit is 10 failures per window: 5 on each instance use it up.
    for (let i = 0; i < 10; i++) {
      const res = await post(i % 2 ? urlA : urlB, '/auth/login', {
        username: 'carol',
        password: 'wrong password!',
      });
      await res.arrayBuffer();
      results.push(res.status);
    }
    assert.ok(
      results.every((s) => s === 401),
      results.join(','),
    );
    // Even the right password is refused now, on either instance.
    for (const base of [urlA, urlB]) {
      const res = await post(base, '/auth/login', { username: 'carol', password: PASSWORD });
      await res.arrayBuffer();
      assert.equal(res.status, 429, `${base} let carol in after 10 shared failures`);
    }
    // The counter lives in Redis, not in the database.
    const redis = new Redis(redisServer.url);
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    try {
      assert.equal(Number(await redis.hget('gatehouse:attempts:login:account:carol', 'c')) >= 10, true);
      const rows = await db.query(
        `select count(*)::int as n from attempts where key like 'login:account:carol%'`,
      );
      assert.equal(rows.rows[0].n, 0);
    } finally {
      redis.disconnect();
      await db.end();
    }
  });

  // Last: it stops the shared servers.
  it('Redis down: logins still work and are throttled by the database; PostgreSQL down: 503 + Retry-After, resource servers keep verifying', async () => {
    offset = 0; // resource servers use the real clock: no token "issued in the future"
    await redisServer.stop();
    const pair = await signIn(urlB, 'alice');
    const bad = await post(urlA, '/auth/login', { username: 'alice', password: 'wrong password!' });
    await bad.arrayBuffer();
    assert.equal(bad.status, 401);
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    const rows = await db.query(
      `select count(*)::int as n from attempts where key like 'login:account:alice%'`,
    );
    await db.end();
    assert.ok(rows.rows[0].n >= 1, 'the failure was counted in PostgreSQL while Redis is down');

    await pgServer.stop();
    for (const base of [urlA, urlB]) {
      const res = await post(base, '/auth/token', { refresh_token: pair.refresh_token });
      const body = (await res.json()) as { code?: string };
      assert.equal(res.status, 503);
      assert.equal(body.code, 'SERVICE_UNAVAILABLE');
      assert.match(res.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/);
      const ready = await fetch(`${base}/readyz`);
      await ready.arrayBuffer();
      assert.equal(ready.status, 503);
    }
    // Cached keys and the last revocation state: tokens issued before the outage still verify.
    assert.deepEqual(await statuses(pair.access_token), [200, 200]);
  });
});
