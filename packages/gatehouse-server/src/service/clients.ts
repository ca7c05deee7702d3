/**
 * Client credentials of resource servers (`gatehouse clients add|list|remove`), used with
 * HTTP Basic on `GET /auth/revocations` (and introspection).
 *
 * Security: the secret is 256 random bits, shown once and stored only as its SHA-256. A hash
 * without salt or stretching is enough for a random 256-bit secret (nothing to guess, unlike a
 * password); comparison is constant-time, and an unknown client id costs the same comparison
 * as a wrong secret so the answer does not reveal which ids exist.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GatehouseError } from 'gatehouse/errors';
import type { ClientRecord, Store } from '../storage/types.js';

/** A client as listed (never its secret or hash). */
export interface ClientView {
  client_id: string;
  name: string;
  /** ISO 8601. */
  created_at: string;
}

/** What `add` returns: the only time the secret is visible. */
export interface NewClientCredentials extends ClientView {
  client_secret: string;
}

export interface ClientService {
  /** VALIDATION_FAILED for a bad or taken name. */
  add(name: string): Promise<NewClientCredentials>;
  list(): Promise<ClientView[]>;
  /** NOT_FOUND when no client has this name. */
  remove(name: string): Promise<void>;
  /** The client whose id and secret these are; INVALID_CLIENT otherwise (same for unknown ids). */
  authenticate(clientId: string, clientSecret: string): Promise<ClientView>;
}

/** Names: 1 to 64 of letters, digits, `.`, `_`, `-` (they appear in logs and tables). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_CREDENTIAL = 256;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Compared against when the id is unknown, so that both failures cost the same. */
const DUMMY_HASH = sha256('gatehouse: no such client').toString('base64url');

function view(c: ClientRecord): ClientView {
  return { client_id: c.id, name: c.name, created_at: new Date(c.createdAt).toISOString() };
}

function hashMatches(secret: string, storedHash: string): boolean {
  const stored = Buffer.from(storedHash, 'base64url');
  const given = sha256(secret);
  // Both are 32-byte digests unless the row is corrupt; a length mismatch is a plain "no".
  return stored.length === given.length && timingSafeEqual(stored, given);
}

const invalidClient = () => new GatehouseError('INVALID_CLIENT', 'Unknown client or wrong secret');

/**
 * Creates the client service over the store.
 *
 * @example
 * ```ts
 * const clients = createClientService({ store, clock: Date.now });
 * const { client_id, client_secret } = await clients.add('articles');
 * await clients.authenticate(client_id, client_secret); // { client_id, name, created_at }
 * ```
 */
export function createClientService(options: { store: Store; clock: () => number }): ClientService {
  const { store, clock } = options;
  return {
    async add(name) {
      if (typeof name !== 'string' || !NAME.test(name)) {
        throw new GatehouseError(
          'VALIDATION_FAILED',
          'A client name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
          { claim: 'name' },
        );
      }
      const secret = randomBytes(32).toString('base64url');
      const record: ClientRecord = {
        id: `c_${randomBytes(12).toString('base64url')}`,
        name,
        secretHash: sha256(secret).toString('base64url'),
        createdAt: clock(),
      };
      if (!(await store.createClient(record))) {
        throw new GatehouseError('VALIDATION_FAILED', `A client named "${name}" already exists`, {
          claim: 'name',
        });
      }
      return { ...view(record), client_secret: secret };
    },

    async list() {
      return (await store.listClients()).map(view);
    },

    async remove(name) {
      if (typeof name !== 'string' || name === '' || name.length > 64 || !(await store.deleteClient(name))) {
        throw new GatehouseError('NOT_FOUND', 'No client with this name');
      }
    },

    async authenticate(clientId, clientSecret) {
      if (
        typeof clientId !== 'string' ||
        typeof clientSecret !== 'string' ||
        clientId === '' ||
        clientId.length > MAX_CREDENTIAL ||
        clientSecret.length > MAX_CREDENTIAL
      ) {
        throw invalidClient();
      }
      const client = await store.findClient(clientId);
      const ok = hashMatches(clientSecret, client?.secretHash ?? DUMMY_HASH);
      if (!client || !ok) throw invalidClient();
      return view(client);
    },
  };
}
