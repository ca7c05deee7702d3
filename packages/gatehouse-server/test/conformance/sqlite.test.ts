/** Runs the store conformance suite on SQLite: a temp file (WAL) and ':memory:'. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import { testStore } from './store.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-conformance-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

testStore('sqlite file', () => createSqliteStore({ path: join(dir, `db-${++n}`, 'gatehouse.db') }));
testStore('sqlite :memory:', () => createSqliteStore({ path: ':memory:' }));
