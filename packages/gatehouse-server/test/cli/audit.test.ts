/** `gatehouse audit` in-process, against the database of a running server. */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { call, type Harness, login, PASSWORD, startServer } from '../http/helpers.js';

interface Row {
  id: number;
  at: string;
  type: string;
  actorId: string | null;
  actor: string | null;
  subjectId: string | null;
  subject: string | null;
  ip: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
}

describe('gatehouse audit', () => {
  let h: Harness;
  let t0: number;
  const cli = async (args: string[]) => {
    const state = { out: '', err: '' };
    const io: CliIo = {
      stdout: (t) => {
        state.out += t;
      },
      stderr: (t) => {
        state.err += t;
      },
      stdin: Readable.from([]),
      env: { GATEHOUSE_DATABASE_URL: h.dbPath },
      cwd: h.dir,
    };
    const code = await runCli(args, io);
    return { code, ...state };
  };
  const rows = async (args: string[]): Promise<Row[]> => {
    const res = await cli(['audit', '--json', ...args]);
    assert.equal(res.code, 0, res.err);
    return JSON.parse(res.out);
  };

  before(async () => {
    h = await startServer({ logLevel: 'warn' });
    t0 = Date.now();
    await login(h.server, 'alice');
    await login(h.server, 'bob');
    await h.server.service.admin.createUser({ username: 'root', password: PASSWORD, roles: ['admin'] });
    // CLI admin actions (actor 'cli') and one over HTTP (actor: the admin, from an IP).
    assert.equal((await cli(['users', 'lock', 'alice'])).code, 0);
    assert.equal((await cli(['users', 'unlock', 'alice'])).code, 0);
    const admin = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'root', password: PASSWORD },
    });
    const bob = await h.server.service.admin.findUser('bob');
    const res = await call(h.server, 'POST', `/admin/users/${bob!.id}/lock`, {
      token: admin.json().access_token,
    });
    assert.equal(res.statusCode, 204);
  });
  after(() => h.close());

  test('lists CLI and HTTP admin actions, newest first, with who, whom, when and where', async () => {
    const all = (await rows([])).filter((r) => r.type.startsWith('user_'));
    assert.deepEqual(
      all.map((r) => [r.type, r.actor, r.subject]),
      [
        ['user_locked', 'root', 'bob'],
        ['user_unlocked', 'cli', 'alice'],
        ['user_locked', 'cli', 'alice'],
        ['user_created', null, 'root'],
      ],
    );
    const http = all[0]!;
    assert.equal(http.ip, '127.0.0.1');
    assert.match(String(http.requestId), /^[0-9a-f-]{36}$/);
    assert.ok(Date.parse(http.at) >= t0 - 1000);
    for (const r of all) assert.ok(!JSON.stringify(r).includes(PASSWORD));
  });

  test('sessions revoke is audited with actor cli and the session id', async () => {
    const carol = await login(h.server, 'carol');
    assert.equal((await cli(['sessions', 'revoke', carol.session_id])).code, 0);
    const [entry] = await rows(['--type', 'session_revoked', '--user', 'carol']);
    assert.equal(entry?.actor, 'cli');
    assert.equal(entry?.subject, 'carol');
    assert.equal(entry?.detail.sessionId, carol.session_id);
  });

  test('filters: --user, --type, --limit, --since/--until', async () => {
    const alice = await rows(['--user', 'ALICE']);
    assert.ok(alice.length >= 2);
    assert.ok(alice.every((r) => r.subject === 'alice'));
    const locks = await rows(['--type', 'user_locked']);
    assert.deepEqual(
      locks.map((r) => r.subject),
      ['bob', 'alice'],
    );
    assert.equal((await rows(['--limit', '1'])).length, 1);
    assert.equal((await rows(['--since', '2000-01-01', '--until', '2000-01-02'])).length, 0);
    const recent = await rows(['--since', new Date(t0 - 60_000).toISOString(), '--type', 'user_unlocked']);
    assert.equal(recent.length, 1);
    const future = await rows(['--since', new Date(Date.now() + 3_600_000).toISOString()]);
    assert.deepEqual(future, []);
  });

  test('a readable table by default', async () => {
    const res = await cli(['audit', '--type', 'user_locked']);
    assert.equal(res.code, 0, res.err);
    const lines = res.out.trimEnd().split('\n');
    assert.match(lines[0]!, /^TIME\s+TYPE\s+ACTOR\s+SUBJECT\s+IP\s+DETAIL$/);
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /user_locked\s+root\s+bob\s+127\.0\.0\.1/);
  });

  test('bad arguments: exit 2 with one line, never a stack trace', async () => {
    for (const args of [
      ['--limit', '0'],
      ['--limit', 'ten'],
      ['--limit', '100000'],
      ['--since', 'yesterday'],
      ['--until', '2026-13-45'],
      ['--since', '2026-02-01', '--until', '2026-01-01'],
      ['--user', 'nobody'],
      ['--type', 'DROP TABLE'],
      ['--bogus'],
      ['extra'],
    ]) {
      const res = await cli(['audit', ...args]);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.err}`);
      assert.match(res.err, /^gatehouse: /);
      assert.ok(!/\bat .+:\d+:\d+/.test(res.err));
    }
    const help = await cli(['audit', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /--since TIME/);
  });
});
