/**
 * `gatehouse clients`, `gatehouse purge` and `gatehouse keys rotate|revoke`, in-process against
 * the database of a running server: what the CLI writes, the running server serves.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { call, type Harness, login, startServer } from '../http/helpers.js';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('clients, purge and keys commands', () => {
  let h: Harness;
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

  before(async () => {
    h = await startServer({ logLevel: 'warn' });
  });
  after(() => h.close());

  test('clients add --json prints exactly {client_id, client_secret}; the server accepts them', async () => {
    const added = await cli(['clients', 'add', 'articles', '--json']);
    assert.equal(added.code, 0, added.err);
    const creds = JSON.parse(added.out);
    assert.deepEqual(Object.keys(creds).sort(), ['client_id', 'client_secret']);
    const feed = await call(h.server, 'GET', '/auth/revocations?after=0', {
      headers: { authorization: basic(creds.client_id, creds.client_secret) },
    });
    assert.equal(feed.statusCode, 200);

    const text = await cli(['clients', 'add', 'billing']);
    assert.equal(text.code, 0);
    assert.match(text.out, /client_secret: [A-Za-z0-9_-]{43}\n/);
    assert.match(text.out, /shown only now/);

    const list = await cli(['clients', 'list']);
    assert.equal(list.code, 0);
    assert.match(list.out, /^CLIENT ID +NAME +CREATED\n/);
    assert.match(list.out, /articles/);
    assert.ok(!list.out.includes(creds.client_secret));
    const listJson = JSON.parse((await cli(['clients', 'list', '--json'])).out);
    assert.deepEqual(
      listJson.map((c: { name: string }) => c.name),
      ['articles', 'billing'],
    );
    assert.ok(!JSON.stringify(listJson).includes(creds.client_secret));

    const dup = await cli(['clients', 'add', 'articles']);
    assert.equal(dup.code, 1);
    assert.match(dup.err, /^gatehouse: VALIDATION_FAILED: /);

    assert.equal((await cli(['clients', 'remove', 'articles'])).code, 0);
    const gone = await call(h.server, 'GET', '/auth/revocations?after=0', {
      headers: { authorization: basic(creds.client_id, creds.client_secret) },
    });
    assert.equal(gone.statusCode, 401);
    const again = await cli(['clients', 'remove', 'articles']);
    assert.equal(again.code, 1);
    assert.match(again.err, /NOT_FOUND/);
  });

  test('usage errors exit 2', async () => {
    for (const args of [
      ['clients'],
      ['clients', 'add'],
      ['clients', 'nope'],
      ['clients', 'list', 'x'],
      ['purge', 'x'],
      ['purge', '--force'],
      ['keys', 'revoke'],
      ['keys', 'rotate', 'x'],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
    }
    for (const args of [
      ['clients', '--help'],
      ['purge', '--help'],
      ['keys', '--help'],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 0);
      assert.match(r.out, /Usage:/);
    }
  });

  test('purge --dry-run deletes nothing; purge reports before/after counts', async () => {
    const dry = await cli(['purge', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.err);
    const report = JSON.parse(dry.out);
    assert.equal(report.deleted, null);
    assert.deepEqual(report.after, report.before);
    assert.ok('revocations' in report.before && 'sessions' in report.before);
    const text = await cli(['purge']);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^TABLE +ROWS BEFORE +ROWS AFTER\n/);
    assert.match(text.out, /deleted: \d+ sessions, \d+ refresh tokens, \d+ revocation entries/);
  });

  test('keys rotate and keys revoke reach the running server within 5 s', async () => {
    const pair = await login(h.server, 'keyuser');
    const jwks = async () =>
      (
        (await call(h.server, 'GET', '/.well-known/jwks.json')).json() as { keys: { kid: string }[] }
      ).keys.map((k) => k.kid);
    const [oldKid] = await jwks();
    const rotated = await cli(['keys', 'rotate', '--json']);
    assert.equal(rotated.code, 0, rotated.err);
    const newKid = JSON.parse(rotated.out).kid as string;
    assert.equal(JSON.parse(rotated.out).status, 'pending');
    const revoked = await cli(['keys', 'revoke', oldKid!]);
    assert.equal(revoked.code, 0, revoked.err);
    const unknown = await cli(['keys', 'revoke', oldKid!]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /NOT_FOUND/);

    // The server reloads keys from storage every 5 s.
    const deadline = Date.now() + 7000;
    let kids = await jwks();
    while ((kids.includes(oldKid!) || !kids.includes(newKid)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      kids = await jwks();
    }
    assert.ok(kids.includes(newKid), 'the rotated key is published');
    assert.ok(!kids.includes(oldKid!), 'the revoked key is out of the JWKS');
    // The server itself refuses tokens of the revoked key.
    const me = await call(h.server, 'GET', '/auth/me', { token: pair.access_token });
    assert.equal(me.statusCode, 401);
    assert.equal(me.json().code, 'TOKEN_REVOKED');
  });
});
