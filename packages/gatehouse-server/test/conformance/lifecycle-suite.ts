/** Conformance: migrate, ping, close. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { addUser, type MakeStore, withStore } from './fixtures.js';

export function lifecycleSuite(make: MakeStore): void {
  it('migrate is idempotent and keeps the data; ping answers', () =>
    withStore(make, async (store) => {
      await store.ping();
      await addUser(store, 'alice');
      await store.migrate();
      await Promise.all([store.migrate(), store.migrate()]);
      assert.equal(await store.countUsers(), 1);
      await store.ping();
    }));

  it('close is idempotent', async () => {
    const store = await make();
    await store.close();
    await store.close();
  });
}
