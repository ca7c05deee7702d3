/**
 * `kill -9` of the auth server during 200 concurrent refreshes (one per session, plus racers
 * sharing one token), then a restart on the same SQLite file. Whatever instant the kill hit:
 * no session is lost (the old token, or the new one if the client received it, still
 * refreshes), racers on one token all landed on one chain, and no refresh token is valid
 * twice (a generation older than the immediate predecessor is reuse).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PASSWORD } from '../http/helpers.js';
import { type ServerProcess, spawnServer } from './child.js';

const SESSIONS = 200;
const RACERS = 20;
/** The kill comes after this many refresh responses: most are still in flight. */
const KILL_AFTER = 25;

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-'));
const env = {
  GATEHOUSE_DATABASE_URL: join(dir, 'gatehouse.db'),
  GATEHOUSE_ISSUER: 'http://127.0.0.1:5000',
  // Long enough that the whole test runs inside the grace: the outcome must not depend on
  // how fast this machine is.
  GATEHOUSE_REFRESH_REUSE_GRACE: '10m',
  GATEHOUSE_OPEN_REGISTRATION: 'true',
  // 200 logins come from 200 "clients" (X-Forwarded-For), not one address over its limit.
  GATEHOUSE_TRUST_PROXY: 'true',
};
let running: ServerProcess | undefined;
after(async () => {
  await running?.kill9();
  rmSync(dir, { recursive: true, force: true });
});

interface Pair {
  access_token: string;
  refresh_token: string;
  session_id: string;
}

async function post(
  url: string,
  path: string,
  body: unknown,
  client = 1,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${client >> 8}.${client & 255}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** Runs `fn` over `items`, at most 16 at a time (each item's own steps stay in order). */
async function eachLimited<T>(items: T[], fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function refresh(url: string, token: string): Promise<{ status: number; json: unknown }> {
  return post(url, '/auth/token', { refresh_token: token });
}

test('kill -9 during 200 concurrent refreshes, restart: no session lost, no token valid twice', async (t) => {
  running = await spawnServer(env);
  const first = running.url;
  assert.equal((await post(first, '/auth/register', { username: 'crash', password: PASSWORD })).status, 201);
  const sessions: Pair[] = [];
  // One at a time: concurrent attempts on one account are throttled before the hash (429).
  for (let i = 0; i < SESSIONS; i++) {
    const res = await post(first, '/auth/login', { username: 'crash', password: PASSWORD }, i);
    assert.equal(res.status, 200, `login ${i}`);
    sessions.push(res.json as Pair);
  }

  // 200 refreshes (one per session) and RACERS more with session 0's token, all at once.
  const received = new Map<number, string[]>();
  let responses = 0;
  let killed: Promise<void> | undefined;
  const server = running;
  const fire = (i: number, token: string) =>
    refresh(first, token).then(
      (res) => {
        if (res.status === 200)
          received.set(i, [...(received.get(i) ?? []), (res.json as Pair).refresh_token]);
        else
          assert.fail(`refresh of session ${i} before the crash: ${res.status} ${JSON.stringify(res.json)}`);
        if (++responses === KILL_AFTER) killed = server.kill9();
      },
      () => {}, // the connection died with the server: this client got nothing
    );
  await Promise.all([
    ...sessions.map((s, i) => fire(i, s.refresh_token)),
    ...Array.from({ length: RACERS }, () => fire(0, sessions[0]?.refresh_token ?? '')),
  ]);
  await (killed ?? server.kill9());
  t.diagnostic(`sessions that received a new pair before the crash: ${received.size}/${SESSIONS}`);

  // Racers on one token: every response they got carries one and the same successor.
  const zero = received.get(0) ?? [];
  assert.ok(new Set(zero).size <= 1, 'racers on one token land on one chain');

  running = await spawnServer(env);
  const url = running.url;
  const current: string[] = [];
  await eachLimited(sessions, async (s, i) => {
    // The old token still refreshes: into the successor the client received, if any.
    const again = await refresh(url, s.refresh_token);
    assert.equal(again.status, 200, `session ${i}: old token after restart ${JSON.stringify(again.json)}`);
    const successor = (again.json as Pair).refresh_token;
    const seen = received.get(i);
    if (seen !== undefined)
      assert.equal(successor, seen[0], `session ${i}: same successor as before the crash`);
    // The successor is live.
    const next = await refresh(url, successor);
    assert.equal(next.status, 200, `session ${i}: successor refreshes`);
    current[i] = (next.json as Pair).refresh_token;
  });

  // All sessions are still there.
  const last = await refresh(url, current[0] ?? '');
  assert.equal(last.status, 200);
  const access = (last.json as Pair).access_token;
  current[0] = (last.json as Pair).refresh_token;
  const listed = await fetch(`${url}/auth/sessions`, { headers: { authorization: `Bearer ${access}` } });
  assert.equal(listed.status, 200);
  const body = (await listed.json()) as unknown[] | { sessions: unknown[] };
  assert.equal(Array.isArray(body) ? body.length : body.sessions.length, SESSIONS);

  // No refresh token valid twice: the original tokens are now two generations old → reuse,
  // and reuse ends the session (its current token stops working too).
  await eachLimited(sessions, async (s, i) => {
    const reused = await refresh(url, s.refresh_token);
    assert.equal(reused.status, 401, `session ${i}: original token refused`);
    assert.equal((reused.json as { code: string }).code, 'REFRESH_TOKEN_REUSED');
    assert.equal((await refresh(url, current[i] ?? '')).status, 401, `session ${i}: ended on reuse`);
  });
});
