/** Signing keys and clients (dialect-neutral). */
import type { Kysely } from 'kysely';
import type { ClientRecord, SigningKeyRecord } from '../types.js';
import { toClient, toSigningKey } from './rows.js';
import type { Schema } from './schema.js';

type Db = Kysely<Schema>;

export async function insertSigningKey(
  db: Db,
  k: SigningKeyRecord,
  opts: { retireOthersAt?: number } = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (opts.retireOthersAt !== undefined) {
      await trx
        .updateTable('signing_keys')
        .set({ retired_at: opts.retireOthersAt })
        .where('retired_at', 'is', null)
        .where('revoked_at', 'is', null)
        .execute();
    }
    await trx
      .insertInto('signing_keys')
      .values({
        kid: k.kid,
        alg: k.alg,
        private_jwk: k.privateJwk,
        public_jwk: k.publicJwk,
        created_at: k.createdAt,
        activates_at: k.activatesAt,
        retired_at: k.retiredAt,
        revoked_at: k.revokedAt,
        publish_until: k.publishUntil,
      })
      .execute();
  });
}

export async function listSigningKeys(db: Db): Promise<SigningKeyRecord[]> {
  const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
  return rows.map(toSigningKey);
}

export async function updateSigningKey(
  db: Db,
  kid: string,
  patch: Partial<Pick<SigningKeyRecord, 'retiredAt' | 'revokedAt' | 'publishUntil'>>,
): Promise<boolean> {
  const set: { retired_at?: number | null; revoked_at?: number | null; publish_until?: number | null } = {};
  if (patch.retiredAt !== undefined) set.retired_at = patch.retiredAt;
  if (patch.revokedAt !== undefined) set.revoked_at = patch.revokedAt;
  if (patch.publishUntil !== undefined) set.publish_until = patch.publishUntil;
  if (Object.keys(set).length === 0) {
    const row = await db.selectFrom('signing_keys').select('kid').where('kid', '=', kid).executeTakeFirst();
    return row !== undefined;
  }
  const res = await db.updateTable('signing_keys').set(set).where('kid', '=', kid).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function createClient(db: Db, c: ClientRecord): Promise<boolean> {
  // Both the id and the name are unique; a conflict on either writes nothing.
  const row = await db
    .insertInto('clients')
    .values({ id: c.id, name: c.name, secret_hash: c.secretHash, created_at: c.createdAt })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findClientBy(
  db: Db,
  column: 'id' | 'name',
  value: string,
): Promise<ClientRecord | null> {
  const row = await db.selectFrom('clients').selectAll().where(column, '=', value).executeTakeFirst();
  return row ? toClient(row) : null;
}

export async function listClients(db: Db): Promise<ClientRecord[]> {
  return (await db.selectFrom('clients').selectAll().orderBy('name').execute()).map(toClient);
}

export async function deleteClient(db: Db, name: string): Promise<boolean> {
  const res = await db.deleteFrom('clients').where('name', '=', name).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
