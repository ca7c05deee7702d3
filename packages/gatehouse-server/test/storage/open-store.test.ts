/** openStore / parseDatabaseUrl: which backend a GATEHOUSE_DATABASE_URL names. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { openStore, parseDatabaseUrl } from '../../src/storage/index.js';
import { tempDir } from './helpers.js';

const { dir, cleanup } = tempDir();
after(cleanup);

describe('parseDatabaseUrl', () => {
  it('plain paths and :memory: are SQLite', () => {
    assert.deepEqual(parseDatabaseUrl('./data/gatehouse.db'), {
      backend: 'sqlite',
      path: './data/gatehouse.db',
      readonly: false,
    });
    assert.deepEqual(parseDatabaseUrl('/var/lib/g.db'), {
      backend: 'sqlite',
      path: '/var/lib/g.db',
      readonly: false,
    });
    assert.deepEqual(parseDatabaseUrl(':memory:'), { backend: 'sqlite', path: ':memory:', readonly: false });
  });

  it('file: URLs, absolute and relative, with mode=ro', () => {
    assert.deepEqual(parseDatabaseUrl('file:///tmp/a%20b.db'), {
      backend: 'sqlite',
      path: '/tmp/a b.db',
      readonly: false,
    });
    assert.deepEqual(parseDatabaseUrl('file:data/g.db?mode=ro'), {
      backend: 'sqlite',
      path: 'data/g.db',
      readonly: true,
    });
  });

  it('postgres URLs are recognised', () => {
    assert.equal(parseDatabaseUrl('postgres://u:p@h/db').backend, 'postgres');
    assert.equal(parseDatabaseUrl('postgresql://h/db').backend, 'postgres');
  });

  it('empty values and unknown schemes: OPTION_INVALID, without echoing credentials', () => {
    assert.throws(() => parseDatabaseUrl(''), { code: 'OPTION_INVALID' });
    assert.throws(() => parseDatabaseUrl('file:'), { code: 'OPTION_INVALID' });
    assert.throws(
      () => parseDatabaseUrl('mysql://root:hunter2@db/x'),
      (err: Error & { code?: string }) => err.code === 'OPTION_INVALID' && !err.message.includes('hunter2'),
    );
  });
});

describe('openStore', () => {
  it('opens SQLite from a path and from a file: URL', async () => {
    const path = join(dir, 'sub', 'g.db');
    const a = await openStore(path);
    assert.equal(a.backend, 'sqlite');
    await a.createUser({ id: 'u', username: 'a', usernameKey: 'a', passwordHash: 'h', roles: [], now: 1 });
    await a.close();
    const b = await openStore(pathToFileURL(path).href);
    assert.equal(await b.countUsers(), 1);
    await b.close();
  });

  it('an unreachable PostgreSQL is SERVICE_UNAVAILABLE, naming no credentials', async () => {
    await assert.rejects(
      // Port 1 on loopback: refused at once.
      openStore('postgres://user:secret@127.0.0.1:1/gatehouse'),
      (err: Error & { code?: string }) => {
        return err.code === 'SERVICE_UNAVAILABLE' && !err.message.includes('secret');
      },
    );
  });
});
