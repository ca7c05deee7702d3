/** Conformance: signing keys and clients. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SigningKeyRecord } from '../../src/storage/types.js';
import { type MakeStore, T0, withStore } from './fixtures.js';

function key(kid: string, createdAt: number): SigningKeyRecord {
  return {
    kid,
    alg: 'ES256',
    privateJwk: JSON.stringify({ kty: 'EC', d: 'secret' }),
    publicJwk: JSON.stringify({ kty: 'EC', x: 'x', y: 'y' }),
    createdAt,
    activatesAt: createdAt + 60_000,
    retiredAt: null,
    revokedAt: null,
    publishUntil: null,
  };
}

export function keyClientSuite(make: MakeStore): void {
  it('signing keys: insert, list in creation order, update, retire others', () =>
    withStore(make, async (store) => {
      const k1 = key('k1', T0);
      const k2 = key('k2', T0 + 10);
      await store.insertSigningKey(k1);
      await store.insertSigningKey(k2);
      assert.equal(await store.updateSigningKey('k2', { revokedAt: T0 + 20, publishUntil: T0 + 20 }), true);
      const k3 = key('k3', T0 + 30);
      await store.insertSigningKey(k3, { retireOthersAt: T0 + 90_000 });
      const list = await store.listSigningKeys();
      assert.deepEqual(list, [
        { ...k1, retiredAt: T0 + 90_000 },
        { ...k2, revokedAt: T0 + 20, publishUntil: T0 + 20 },
        k3,
      ]);
      assert.equal(await store.updateSigningKey('nope', { retiredAt: 1 }), false);
      assert.equal(await store.updateSigningKey('k1', {}), true);
      assert.equal(await store.updateSigningKey('k1', { retiredAt: null }), true);
      assert.equal((await store.listSigningKeys())[0]?.retiredAt, null);
    }));

  it('clients: unique id and name, find, list, delete', () =>
    withStore(make, async (store) => {
      const c = { id: 'cid-1', name: 'articles', secretHash: 'sh', createdAt: T0 };
      assert.equal(await store.createClient(c), true);
      assert.equal(await store.createClient({ ...c, id: 'cid-2' }), false, 'name taken');
      assert.equal(await store.createClient({ ...c, name: 'other' }), false, 'id taken');
      await store.createClient({ id: 'cid-3', name: 'billing', secretHash: 'sh3', createdAt: T0 + 1 });
      assert.deepEqual(await store.findClient('cid-1'), c);
      assert.deepEqual(await store.findClientByName('articles'), c);
      assert.equal(await store.findClient('cid-2'), null);
      assert.equal(await store.findClientByName('nope'), null);
      assert.deepEqual(
        (await store.listClients()).map((x) => x.name),
        ['articles', 'billing'],
      );
      assert.equal(await store.deleteClient('articles'), true);
      assert.equal(await store.deleteClient('articles'), false);
      assert.equal(await store.findClient('cid-1'), null);
    }));
}
