/** Driver error mapping: which SQLite failures become SERVICE_UNAVAILABLE. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapSqliteError } from '../../src/storage/sqlite/errors.js';

function sqliteError(code: string): Error {
  return Object.assign(new Error(`${code}: something about /secret/path/gatehouse.db`), { code });
}

describe('mapSqliteError', () => {
  const unavailable: [string, number][] = [
    ['SQLITE_BUSY', 1],
    ['SQLITE_BUSY_SNAPSHOT', 1],
    ['SQLITE_LOCKED', 1],
    ['SQLITE_LOCKED_SHAREDCACHE', 1],
    ['SQLITE_READONLY', 5],
    ['SQLITE_READONLY_DBMOVED', 5],
    ['SQLITE_CANTOPEN', 5],
    ['SQLITE_IOERR', 5],
    ['SQLITE_IOERR_WRITE', 5],
    ['SQLITE_FULL', 5],
  ];
  for (const [code, retryAfter] of unavailable) {
    it(`${code} → SERVICE_UNAVAILABLE, retryAfter ${retryAfter}, driver message only in cause`, () => {
      const src = sqliteError(code);
      const mapped = mapSqliteError(src);
      assert.ok(mapped);
      assert.equal(mapped.code, 'SERVICE_UNAVAILABLE');
      assert.equal(mapped.status, 503);
      assert.equal(mapped.retryAfter, retryAfter);
      assert.equal(mapped.message, 'Storage unavailable');
      assert.equal(mapped.cause, src);
    });
  }

  it('constraint violations, other SQLite errors and non-driver errors are not mapped', () => {
    assert.equal(mapSqliteError(sqliteError('SQLITE_CONSTRAINT_UNIQUE')), null);
    assert.equal(mapSqliteError(sqliteError('SQLITE_ERROR')), null);
    assert.equal(mapSqliteError(new RangeError('bug')), null);
    assert.equal(mapSqliteError('a string'), null);
    assert.equal(mapSqliteError(null), null);
  });
});
