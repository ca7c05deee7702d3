/**
 * The signing keys of the auth server.
 *
 * - Asymmetric algorithms: keys live in storage, shared by every instance on one database.
 *   On start (and on each reload) a usable key for the configured `alg` is ensured: when none
 *   exists one is generated (`kid` = RFC 7638 thumbprint) and is active at once.
 * - HS* algorithms: the one key is `importSecret(hsSecret)`, never stored, never published.
 * - Reload from storage every `reloadIntervalMs` (<= 5 s, timer unref'd, stopped by `stop()`),
 *   so `keys rotate` / `keys revoke` from the CLI or another instance are seen in time.
 * - `rotate()` and `revoke()` are here for the key-rotation issue; they are plain store writes.
 */
import {
  type Algorithm,
  createKeySet,
  exportJwk,
  generateKey,
  importJwk,
  importSecret,
  type Jwks,
  type Key,
  type KeySet,
} from 'gatehouse';
import { GatehouseError, isGatehouseError } from 'gatehouse/errors';
import { accessLifetimeBoundMs, keyRevocation } from '../domain/sessions.js';
import {
  bySigningPreference,
  isPublished,
  isUsableSigner,
  keyStatusView,
  pickSigner,
} from '../domain/signing-keys.js';
import type { SigningKeyRecord, Store } from '../storage/types.js';
import { decryptPrivateJwk, encryptPrivateJwk } from './key-encryption.js';
import type { ServiceEvent, SigningKeyView } from './types.js';

export interface KeyringOptions {
  store: Store;
  alg: Algorithm;
  hsSecret?: string;
  keyEncryptionSecret?: string;
  /** Seconds a new key is published before it signs (rotation). */
  keyPropagation: number;
  /** Seconds; bounds how long a retired key must stay published. */
  accessTtl: number;
  /** Epoch ms. */
  clock: () => number;
  /** Default 5000; at most 5000 (the contract's "within 5 seconds"). */
  reloadIntervalMs?: number;
  onEvent?: (event: ServiceEvent) => void;
}

export interface Keyring {
  /** Loads (and if needed generates) keys and starts the reload timer. Throws on a bad secret. */
  start(): Promise<void>;
  /** The key that signs now: the newest non-revoked, non-retired key of `alg` active at `now`. */
  signingKey(now: number): Key;
  /** Keys that may have signed a still-valid token (for our own verification). */
  verificationKeys(): KeySet;
  /** The algorithms of {@link verificationKeys} (the verifier's allow-list). */
  algorithms(): readonly Algorithm[];
  /** True when `kid` was revoked (its tokens are refused even before they expire). */
  isRevoked(kid: string): boolean;
  /** Public JWKS at `now`: published, non-revoked keys; empty in HS* mode. */
  jwks(now: number): Jwks;
  list(now: number): SigningKeyView[];
  /** Re-reads storage now (the timer calls this). */
  reload(): Promise<void>;
  /** Publishes a new key at once that starts signing after `keyPropagation`; retires the current one then. */
  rotate(): Promise<SigningKeyView>;
  /** Revokes `kid` at once and appends a `kid` revocation entry. False when unknown or already revoked; BAD_REQUEST in HS* mode. */
  revoke(kid: string): Promise<boolean>;
  stop(): void;
}

interface LoadedKey {
  record: SigningKeyRecord;
  publicKey: Key;
  privateKey: Key | undefined;
}

const isHmac = (alg: Algorithm): alg is 'HS256' | 'HS384' | 'HS512' => alg.startsWith('HS');

/**
 * Creates the keyring (call `start()` before use).
 *
 * @example
 * ```ts
 * const keyring = createKeyring({ store, alg: 'ES256', keyPropagation: 60, accessTtl: 900, clock: Date.now });
 * await keyring.start();
 * const key = keyring.signingKey(Date.now());
 * ```
 */
export function createKeyring(options: KeyringOptions): Keyring {
  const { store, alg, clock } = options;
  const reloadIntervalMs = Math.max(10, Math.min(options.reloadIntervalMs ?? 5000, 5000));
  const hsKey = isHmac(alg) ? importHsKey(alg, options.hsSecret) : undefined;
  let loaded = new Map<string, LoadedKey>();
  let keySet: KeySet = createKeySet(hsKey ? [hsKey] : []);
  let algorithms: readonly Algorithm[] = [alg];
  let timer: NodeJS.Timeout | undefined;
  let reloading: Promise<void> | undefined;

  const usable = (k: SigningKeyRecord, now: number) => isUsableSigner(k, alg, now);

  async function load(strict: boolean): Promise<void> {
    const now = clock();
    const records = await store.listSigningKeys();
    const next = new Map<string, LoadedKey>();
    for (const record of records) {
      const prev = loaded.get(record.kid);
      let publicKey: Key;
      try {
        publicKey = prev?.publicKey ?? importStoredJwk(record.publicJwk, record);
      } catch {
        continue; // a row we cannot read (unsupported alg, corrupt JSON) is ignored
      }
      let privateKey = prev?.privateKey;
      if (!privateKey && usable(record, now)) {
        try {
          const json = await decryptPrivateJwk(record.privateJwk, options.keyEncryptionSecret, record.kid);
          privateKey = importStoredJwk(json, record);
        } catch (err) {
          // At start a key we cannot decrypt (wrong or missing encryption secret) stops
          // start-up; on a reload the key is kept without its private part (signing with it
          // then answers SERVICE_UNAVAILABLE) and never replaced behind the operator's back.
          if (strict && isGatehouseError(err) && err.code === 'OPTION_INVALID') throw err;
        }
      }
      next.set(record.kid, { record, publicKey, privateKey });
    }
    loaded = next;
    if (hsKey) return;
    const verifying = [...next.values()].filter((k) => isPublished(k.record, now)).map((k) => k.publicKey);
    keySet = createKeySet(verifying);
    algorithms = [...new Set<Algorithm>([alg, ...verifying.map((k) => k.alg)])];
  }

  /** The record that signs at `now`, by the shared policy (whether or not we can decrypt it). */
  function signer(now: number): LoadedKey | undefined {
    const record = pickSigner(
      [...loaded.values()].map((k) => k.record),
      alg,
      now,
    );
    return record && loaded.get(record.kid);
  }

  /** Inserts a fresh key of `alg`; returns its record. */
  async function insertKey(
    now: number,
    activatesAt: number,
    retireOthersAt?: number,
  ): Promise<SigningKeyRecord> {
    const key = generateKey(alg);
    const privateJson = JSON.stringify(exportJwk(key, { includePrivate: true }));
    const record: SigningKeyRecord = {
      kid: key.kid,
      alg,
      privateJwk: options.keyEncryptionSecret
        ? await encryptPrivateJwk(privateJson, options.keyEncryptionSecret, key.kid)
        : privateJson,
      publicJwk: JSON.stringify(exportJwk(key)),
      createdAt: now,
      activatesAt,
      retiredAt: null,
      revokedAt: null,
      publishUntil: null,
    };
    await store.insertSigningKey(record, retireOthersAt === undefined ? {} : { retireOthersAt });
    options.onEvent?.({ type: 'key_generated', kid: key.kid });
    return record;
  }

  /**
   * Makes sure some key of `alg` can sign now or is about to (pending), then settles races.
   *
   * Convergence: instances sharing one database may generate a key each at the same moment
   * (neither saw the other's). Every instance orders the keys the same way
   * (`bySigningPreference`), so they agree on one signer; any other activated, unretired key of
   * `alg` is retired now and stays published until every token it may have signed has expired.
   * The writes are idempotent, so two instances doing them at once agree too.
   */
  async function ensureKey(strict: boolean): Promise<void> {
    const now = clock();
    // Nothing can sign now (first start, or the signer was revoked while the next key is
    // still pending): a new key, active at once.
    if (!signer(now)) {
      await insertKey(now, now);
      await load(strict);
    }
    const current = signer(now);
    if (!current) return;
    const losers = [...loaded.values()]
      .map((k) => k.record)
      .filter(
        (r) =>
          r.kid !== current.record.kid &&
          r.alg === alg &&
          r.revokedAt === null &&
          r.retiredAt === null &&
          r.activatesAt <= now,
      );
    for (const r of losers) {
      await store.updateSigningKey(r.kid, {
        retiredAt: now,
        publishUntil: now + accessLifetimeBoundMs(options),
      });
    }
    if (losers.length > 0) await load(strict);
  }

  async function reload(): Promise<void> {
    if (hsKey) return;
    // Single-flight: a slow database never stacks reloads.
    reloading ??= (async () => {
      try {
        await load(false);
        await ensureKey(false);
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  }

  function list(now: number): SigningKeyView[] {
    if (hsKey) return [];
    const signerKid = signer(now)?.record.kid;
    return [...loaded.values()]
      .map((k) => k.record)
      .sort((a, b) => a.createdAt - b.createdAt || (a.kid < b.kid ? -1 : 1))
      .map((r) => keyStatusView(r, now, signerKid));
  }

  return {
    async start() {
      if (hsKey) return;
      await load(true);
      await ensureKey(true);
      timer = setInterval(() => {
        // A failed reload (database briefly unavailable) keeps the current keys.
        reload().catch(() => {});
      }, reloadIntervalMs);
      timer.unref();
    },

    signingKey(now) {
      if (hsKey) return hsKey;
      const key = signer(now)?.privateKey;
      if (!key)
        throw new GatehouseError('SERVICE_UNAVAILABLE', 'No signing key available', { retryAfter: 5 });
      return key;
    },

    verificationKeys: () => keySet,
    algorithms: () => algorithms,

    isRevoked(kid) {
      const k = loaded.get(kid);
      return k !== undefined && k.record.revokedAt !== null;
    },

    jwks(now) {
      if (hsKey) return { keys: [] };
      const keys = [...loaded.values()]
        .filter((k) => isPublished(k.record, now))
        .sort((a, b) => bySigningPreference(a.record, b.record))
        .map((k) => exportJwk(k.publicKey));
      return { keys };
    },

    list,

    reload,

    async rotate() {
      if (hsKey) throw new GatehouseError('BAD_REQUEST', 'HS* keys are configured, not rotated');
      await load(false);
      const now = clock();
      const activatesAt = now + options.keyPropagation * 1000;
      const current = [...loaded.values()].map((k) => k.record).filter((r) => usable(r, now));
      // The old keys sign until the new one takes over (retired in the insert's transaction),
      // then stay published until every token they signed has expired.
      const record = await insertKey(now, activatesAt, activatesAt);
      for (const r of current) {
        await store.updateSigningKey(r.kid, {
          retiredAt: activatesAt,
          publishUntil: activatesAt + accessLifetimeBoundMs(options),
        });
      }
      options.onEvent?.({ type: 'key_rotated', kid: record.kid });
      await load(false);
      return list(clock()).find((v) => v.kid === record.kid) as SigningKeyView;
    },

    async revoke(kid) {
      if (hsKey) throw new GatehouseError('BAD_REQUEST', 'HS* keys are configured, not revoked');
      const records = await store.listSigningKeys();
      const record = records.find((r) => r.kid === kid);
      if (!record || record.revokedAt !== null) return false;
      const now = clock();
      await store.updateSigningKey(kid, { revokedAt: now });
      await store.appendRevocation(keyRevocation(kid, now, options));
      options.onEvent?.({ type: 'key_revoked', kid });
      await reload();
      return true;
    },

    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

function importHsKey(alg: 'HS256' | 'HS384' | 'HS512', secret: string | undefined): Key {
  if (typeof secret !== 'string' || secret === '') {
    throw new GatehouseError('OPTION_INVALID', `GATEHOUSE_HS_SECRET is required with ${alg}`, {
      claim: 'GATEHOUSE_HS_SECRET',
    });
  }
  try {
    return importSecret(secret, alg);
  } catch (cause) {
    // Never echo the secret: only its shortcoming.
    throw new GatehouseError('OPTION_INVALID', `GATEHOUSE_HS_SECRET is too short for ${alg}`, {
      claim: 'GATEHOUSE_HS_SECRET',
      cause,
    });
  }
}

function importStoredJwk(json: string, record: SigningKeyRecord): Key {
  return importJwk(JSON.parse(json), { alg: record.alg as Algorithm, kid: record.kid });
}
