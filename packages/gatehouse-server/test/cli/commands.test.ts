/**
 * CLI commands in-process (`runCli` with an injected io) against the database of a running
 * server: the error paths and output formats, cheaply. cli.test.ts runs the real binary.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { call, type Harness, login, PASSWORD, startServer } from '../http/helpers.js';
import { freePort } from './helpers.js';

describe("CLI commands against a running server's database", () => {
  let h: Harness;
  let base: string;
  const cli = async (args: string[], input = '') => {
    const state = { out: '', err: '' };
    const io: CliIo = {
      stdout: (t) => {
        state.out += t;
      },
      stderr: (t) => {
        state.err += t;
      },
      stdin: Readable.from(input === '' ? [] : [Buffer.from(input)]),
      env: { GATEHOUSE_DATABASE_URL: h.dbPath, GATEHOUSE_ISSUER: base },
      cwd: h.dir,
    };
    const code = await runCli(args, io);
    return { code, ...state };
  };

  before(async () => {
    // A known port, so that the tokens' issuer is the URL the JWKS is fetched from.
    h = await startServer({ logLevel: 'warn', env: { GATEHOUSE_PORT: String(await freePort()) } });
    base = await h.server.listen();
  });
  after(async () => {
    await h.close();
  });

  test('users add: duplicate (case-insensitive) and weak passwords exit 1 with the code', async () => {
    const ok = await cli(['users', 'add', 'Dora', '--password-stdin'], `${PASSWORD}\n`);
    assert.equal(ok.code, 0, ok.err);
    const dup = await cli(['users', 'add', 'dora', '--password-stdin'], PASSWORD);
    assert.equal(dup.code, 1);
    assert.match(dup.err, /^gatehouse: USERNAME_TAKEN: /);
    const weak = await cli(['users', 'add', 'eve', '--password-stdin'], 'short\n');
    assert.equal(weak.code, 1);
    assert.match(weak.err, /VALIDATION_FAILED/);
    const twoLines = await cli(['users', 'add', 'eve', '--password-stdin'], 'line one\nline two\n');
    assert.equal(twoLines.code, 2);
    // Not a terminal and no flag: read from stdin all the same.
    const piped = await cli(['users', 'add', 'frank', '--json'], `${PASSWORD}\n`);
    assert.equal(piped.code, 0, piped.err);
    assert.equal(JSON.parse(piped.out).username, 'frank');
    // The server sees the users the CLI created.
    const res = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'frank', password: PASSWORD },
    });
    assert.equal(res.statusCode, 200);
  });

  test('users list: a table, or JSON with --json; --filter narrows', async () => {
    const table = await cli(['users', 'list']);
    assert.equal(table.code, 0);
    assert.match(table.out, /^USERNAME\s+ID\s+ROLES\s+LOCKED\s+SESSIONS\s+CREATED\n/);
    const filtered = await cli(['users', 'list', '--json', '--filter', 'dor']);
    assert.deepEqual(
      (JSON.parse(filtered.out) as { username: string }[]).map((u) => u.username),
      ['Dora'],
    );
  });

  test('sessions and locks: NOT_FOUND exits 1', async () => {
    const pair = await login(h.server, 'gail');
    const listed = await cli(['sessions', 'list', 'gail']);
    assert.match(listed.out, new RegExp(pair.session_id));
    assert.equal((await cli(['sessions', 'revoke', pair.session_id])).code, 0);
    const again = await cli(['sessions', 'revoke', pair.session_id]);
    assert.equal(again.code, 1);
    assert.match(again.err, /NOT_FOUND/);
    const nobody = await cli(['users', 'lock', 'nobody-here']);
    assert.equal(nobody.code, 1);
    assert.match(nobody.err, /NOT_FOUND/);
    const unknownUser = await cli(['sessions', 'list', 'nobody-here']);
    assert.equal(unknownUser.code, 1);
    const badFlag = await cli(['users', 'list', '--port', 'abc']);
    assert.equal(badFlag.code, 1);
    assert.match(badFlag.err, /^GATEHOUSE_PORT: /);
  });

  test('token decode from stdin; verify with the configured issuer, audience checks, unreachable issuer', async () => {
    const pair = await login(h.server, 'hugo');
    const decoded = await cli(['token', 'decode', '-'], `${pair.access_token}\n`);
    assert.equal(decoded.code, 0, decoded.err);
    assert.equal(JSON.parse(decoded.out).payload.sid, pair.session_id);

    const verified = await cli(['token', 'verify', '-', '--audience', 'gatehouse'], pair.access_token);
    assert.equal(verified.code, 0, verified.err);
    assert.equal(JSON.parse(verified.out).valid, true);
    const wrongAud = await cli(['token', 'verify', pair.access_token, '--audience', 'another-api']);
    assert.equal(wrongAud.code, 1);
    assert.match(wrongAud.err, /CLAIM_INVALID \(claim aud\)/);
    const wrongIss = await cli(['token', 'verify', pair.access_token, '--issuer', `${base}/`]);
    assert.equal(wrongIss.code, 1);
    assert.match(wrongIss.err, /claim iss/);
    const offline = await cli(['token', 'verify', pair.access_token, '--issuer', 'http://127.0.0.1:1']);
    assert.equal(offline.code, 1);
    assert.match(offline.err, /JWKS_UNAVAILABLE/);
    assert.ok(!offline.err.includes(pair.access_token), 'token echoed');
  });

  test('serve on a port already in use: one line, exit 1, database closed again', async () => {
    const port = new URL(base).port;
    const busy = await cli(['serve', '--port', port, '--log-level', 'silent']);
    assert.equal(busy.code, 1);
    assert.match(busy.err, /^gatehouse: EADDRINUSE: /);
    assert.equal(busy.err.trim().split('\n').length, 1);
  });
});
