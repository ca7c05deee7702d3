/**
 * The SQLite file locked by another process-level connection (an exclusive write
 * transaction held open), seen over a real socket: writes answer 503 SERVICE_UNAVAILABLE
 * with Retry-After, the process keeps serving, nothing is half-done (a refresh token presented
 * during the outage still works afterwards), and everything recovers when the lock goes.
 * (The store-level cases, read-only file and full disk, are in test/storage/faults.test.ts;
 * the service-level 503 mapping in test/http/discovery.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { type Harness, PASSWORD, startServer } from '../http/helpers.js';

let h: Harness;
let url: string;
before(async () => {
  h = await startServer({ logLevel: 'silent' });
  url = await h.server.listen({ port: 0, host: '127.0.0.1' });
});
after(() => h.close());

async function request(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

function assertUnavailable(res: Awaited<ReturnType<typeof request>>, what: string) {
  assert.equal(res.status, 503, `${what}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.json().code, 'SERVICE_UNAVAILABLE');
  assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/, `${what}: Retry-After`);
  assert.ok(!res.text.includes(h.dbPath), 'no file path in the response');
}

test('database locked by another connection: 503 + Retry-After, no crash, full recovery', async () => {
  assert.equal(
    (await request('POST', '/auth/register', { username: 'lock', password: PASSWORD })).status,
    201,
  );
  const login = await request('POST', '/auth/login', { username: 'lock', password: PASSWORD });
  assert.equal(login.status, 200);
  const pair = login.json() as { access_token: string; refresh_token: string };

  const other = new Database(h.dbPath);
  other.exec('BEGIN EXCLUSIVE');
  try {
    assertUnavailable(await request('POST', '/auth/token', { refresh_token: pair.refresh_token }), 'refresh');
    assertUnavailable(
      await request('POST', '/auth/login', { username: 'lock', password: PASSWORD }),
      'login',
    );
    // The process is alive and answers what needs no database.
    assert.equal((await request('GET', '/healthz')).status, 200);
    // WAL: readers are not blocked by the writer, so verifying access tokens and /auth/me go on.
    assert.equal((await request('GET', '/auth/me', undefined, pair.access_token)).status, 200);
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }

  // Recovery: the token presented during the outage was not consumed by the failed attempt.
  assert.equal((await request('GET', '/readyz')).status, 200);
  const refreshed = await request('POST', '/auth/token', { refresh_token: pair.refresh_token });
  assert.equal(refreshed.status, 200, refreshed.text);
  const next = refreshed.json() as { access_token: string };
  assert.equal((await request('GET', '/auth/me', undefined, next.access_token)).status, 200);
  assert.equal((await request('POST', '/auth/login', { username: 'lock', password: PASSWORD })).status, 200);
});
