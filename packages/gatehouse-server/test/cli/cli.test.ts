/**
 * The `gatehouse` CLI end to end, as a child process on a temp database: usage and exit
 * codes, configuration errors, users/sessions/keys/token commands, and working against the
 * same database while `gatehouse serve` runs (then stopping it with SIGTERM).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, runCli, spawnCli } from './helpers.js';

const PASSWORD = 'correct horse battery staple';

describe('gatehouse CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('--help exits 0 and lists the commands; a usage error exits 2 without a stack trace', async () => {
    const main = await runCli(['--help'], { cwd: dir });
    assert.equal(main.code, 0);
    for (const name of ['serve', 'demo', 'users', 'sessions', 'keys', 'token']) {
      assert.match(main.stdout, new RegExp(`\\b${name}\\b`));
    }
    const usage = await runCli(['users', 'list', '--bogus'], { cwd: dir });
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--help/);
    assert.doesNotMatch(usage.stderr, /\n\s+at /, 'no stack trace');
  });

  // The real `demo` run (ports, page, SIGINT) is covered by test/browser/demo-command.test.ts.
  test('demo --help: names the two servers, exit 0', async () => {
    const r = await runCli(['demo', '--help'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /127\.0\.0\.1:4000/);
  });

  test('configuration errors: one line naming the variable, exit 1 (env, .env and flags)', async () => {
    const none = await runCli(['serve'], { cwd: dir, env: { GATEHOUSE_ALG: 'none' } });
    assert.equal(none.code, 1);
    assert.equal(none.stderr.trim().split('\n').length, 1, none.stderr);
    assert.match(none.stderr, /^GATEHOUSE_ALG: /);

    const hs = await runCli(['serve'], {
      cwd: dir,
      env: { GATEHOUSE_ALG: 'HS256', GATEHOUSE_HS_SECRET: 'too-short-secret' },
    });
    assert.equal(hs.code, 1);
    assert.match(hs.stderr, /^GATEHOUSE_HS_SECRET: .*at least 32/);
    assert.ok(!hs.stderr.includes('too-short-secret'));

    const envDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-env-'));
    try {
      writeFileSync(join(envDir, '.env'), 'GATEHOUSE_ACCESS_TTL=15 parsecs\n');
      const dotenv = await runCli(['serve'], { cwd: envDir });
      assert.equal(dotenv.code, 1);
      assert.equal(
        dotenv.stderr.trim(),
        'GATEHOUSE_ACCESS_TTL: not a duration "15 parsecs"; write it like 30s, 15m, 2h, 7 days or 1 week',
      );
      // The real environment wins over .env.
      const fixed = await runCli(['keys', 'list'], { cwd: envDir, env: { GATEHOUSE_ACCESS_TTL: '5m' } });
      assert.equal(fixed.code, 0, fixed.stderr);
    } finally {
      rmSync(envDir, { recursive: true, force: true });
    }
  });

  test('users, sessions, keys and token against the database of a running server', async () => {
    const port = await freePort();
    const env = { GATEHOUSE_PORT: String(port), GATEHOUSE_LOG_LEVEL: 'warn' };
    const base = `http://127.0.0.1:${port}`;

    // Offline first: the default database ./data/gatehouse.db is created in the working directory.
    const add = await runCli(
      ['users', 'add', 'alice', '--role', 'admin', '--role', 'editor', '--password-stdin'],
      {
        cwd: dir,
        env,
        input: `${PASSWORD}\n`,
      },
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /created user alice \(id [^,]+, roles admin,editor\)/);
    assert.ok(!add.stdout.includes(PASSWORD) && !add.stderr.includes(PASSWORD));
    assert.ok(existsSync(join(dir, 'data', 'gatehouse.db')), 'default database in ./data');

    const server = spawnCli(['serve'], { cwd: dir, env });
    let serverErr = '';
    server.stderr!.on('data', (d) => {
      serverErr += d;
    });
    server.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => server.on('close', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!serverErr.includes('listening on') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.match(serverErr, new RegExp(`listening on ${base}`));

      const list = await runCli(['users', 'list', '--json'], { cwd: dir, env });
      assert.equal(list.code, 0, list.stderr);
      const users = JSON.parse(list.stdout) as { username: string; roles: string[]; locked: boolean }[];
      assert.deepEqual(
        users.map((u) => u.username),
        ['alice'],
      );
      assert.deepEqual(users[0]?.roles, ['admin', 'editor']);

      const login = async () =>
        fetch(`${base}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'cli-test' },
          body: JSON.stringify({ username: 'alice', password: PASSWORD }),
        });
      const res = await login();
      assert.equal(res.status, 200);
      const pair = await res.json();

      const sessions = await runCli(['sessions', 'list', 'alice', '--json'], { cwd: dir, env });
      assert.equal(sessions.code, 0, sessions.stderr);
      const listed = JSON.parse(sessions.stdout) as { id: string; userAgent: string }[];
      assert.deepEqual(
        listed.map((s) => s.id),
        [pair.session_id],
      );
      assert.equal(listed[0]?.userAgent, 'cli-test');

      const keys = await runCli(['keys', 'list', '--json'], { cwd: dir, env });
      assert.equal(keys.code, 0, keys.stderr);
      const jwks = await (await fetch(`${base}/.well-known/jwks.json`)).json();
      const kids = (JSON.parse(keys.stdout) as { kid: string }[]).map((k) => k.kid);
      for (const k of jwks.keys) assert.ok(kids.includes(k.kid));
      assert.doesNotMatch(keys.stdout, /"d"\s*:|privateJwk/);

      const decoded = await runCli(['token', 'decode', pair.access_token], { cwd: dir, env });
      assert.equal(decoded.code, 0, decoded.stderr);
      const { header, payload } = JSON.parse(decoded.stdout);
      assert.equal(header.typ, 'at+jwt');
      assert.equal(payload.username, 'alice');
      assert.match(decoded.stderr, /NOT verified/);

      const verified = await runCli(['token', 'verify', pair.access_token, '--issuer', base], {
        cwd: dir,
        env,
      });
      assert.equal(verified.code, 0, verified.stderr);
      assert.equal(JSON.parse(verified.stdout).payload.sub, payload.sub);
      const parts = pair.access_token.split('.');
      const forged = Buffer.from(JSON.stringify({ ...payload, roles: ['admin', 'root'] })).toString(
        'base64url',
      );
      const bad = await runCli(['token', 'verify', `${parts[0]}.${forged}.${parts[2]}`], { cwd: dir, env });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /SIGNATURE_INVALID/);

      const revoke = await runCli(['sessions', 'revoke', pair.session_id], { cwd: dir, env });
      assert.equal(revoke.code, 0, revoke.stderr);
      const me = await fetch(`${base}/auth/me`, {
        headers: { authorization: `Bearer ${pair.access_token}` },
      });
      assert.equal(me.status, 401, 'the running server sees the revocation');

      const lock = await runCli(['users', 'lock', 'alice'], { cwd: dir, env });
      assert.equal(lock.code, 0, lock.stderr);
      const locked = await login();
      assert.equal(locked.status, 403);
      assert.equal((await locked.json()).code, 'ACCOUNT_LOCKED');
      assert.equal((await runCli(['users', 'unlock', 'alice'], { cwd: dir, env })).code, 0);
      assert.equal((await login()).status, 200);
    } finally {
      server.kill('SIGTERM');
    }
    assert.equal(await exited, 0, serverErr);
    assert.match(serverErr, /SIGTERM received/);
  });
});
