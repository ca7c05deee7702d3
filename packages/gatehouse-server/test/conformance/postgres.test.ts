/**
 * Runs the store conformance suite on PostgreSQL: a throwaway cluster for this file (or
 * GATEHOUSE_TEST_PG_URL), one fresh database per test.
 */
import { after, before } from 'node:test';
import { createPostgresStore } from '../../src/storage/postgres/index.js';
import { type PgServer, startPostgres } from '../support/postgres.js';
import { testStore } from './store.js';

let server: PgServer;
before(async () => {
  server = await startPostgres();
});
after(() => server?.stop());

testStore('postgres', async () =>
  createPostgresStore({ url: await server.createDatabase(), maxConnections: 4 }),
);
