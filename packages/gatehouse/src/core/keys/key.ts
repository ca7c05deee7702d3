/**
 * The `Key` type: a node:crypto KeyObject bound to exactly one algorithm, with its sign and
 * verify operations prepared once, at creation (RFC 8725 section 3.1: the algorithm comes
 * from the key, never from the token).
 */
import {
  constants,
  createHmac,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { GatehouseError } from '../../errors.js';
import { ALGORITHM_SPECS, type Algorithm, isAlgorithm } from '../algorithms.js';
import { decodeCanonical } from '../base64url.js';
import { thumbprintOfJwk } from './thumbprint.js';

/** A JSON Web Key (RFC 7517). */
export interface Jwk {
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  kid?: string;
  alg?: string;
  use?: string;
  [parameter: string]: unknown;
}

/** A JSON Web Key Set (RFC 7517 section 5). */
export interface Jwks {
  keys: Jwk[];
}

/** A key bound to one algorithm. Create one with `generateKey`, `importPem`, `importJwk` or `importSecret`. */
export interface Key {
  readonly alg: Algorithm;
  /** Key id; by default the RFC 7638 thumbprint of the public JWK. */
  readonly kid: string;
  readonly type: 'secret' | 'private' | 'public';
  readonly keyObject: KeyObject;
}

/** @internal Prepared operations, stored under a symbol on each Key. */
export interface KeyOps {
  /** Signs an ASCII signing input; returns the base64url signature. Absent on public keys. */
  readonly sign: ((input: string) => string) | undefined;
  /**
   * Verifies a compact token whose signing input is `token.slice(0, end)` and whose signature
   * segment is `token.slice(end + 1)`. Never throws. Returns {@link SIG_VALID},
   * {@link SIG_INVALID} or {@link SIG_MALFORMED} (signature not canonical base64url).
   */
  readonly verify: (token: string, end: number) => number;
  /** Encoded header segments without extra parameters, by typ (signing hot path). */
  readonly headerSegments: Map<string, string>;
}

/** @internal Results of {@link KeyOps.verify}. */
export const SIG_VALID = 0;
/** @internal */
export const SIG_INVALID = 1;
/** @internal */
export const SIG_MALFORMED = 2;

/**
 * @internal Constant-time comparison of `expected` with `token.slice(offset)` (no early exit
 * on content; lengths are public, fixed by the algorithm). No substring is allocated.
 */
function tailEqualsConstantTime(expected: string, token: string, offset: number): boolean {
  if (token.length - offset !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ token.charCodeAt(offset + i);
  return diff === 0;
}

/** @internal */
export const KEY_OPS: unique symbol = Symbol('gatehouse.keyOps');

type InternalKey = Key & { readonly [KEY_OPS]: KeyOps };

/** @internal The prepared operations of a Key made by this module; KEY_INVALID for foreign objects. */
export function keyOps(key: Key): KeyOps {
  const ops = (key as Partial<InternalKey>)[KEY_OPS];
  if (ops === undefined) throw new GatehouseError('KEY_INVALID', 'Not a Gatehouse key');
  return ops;
}

/**
 * Is `x` a Key created by Gatehouse?
 *
 * @example
 * ```ts
 * import { generateKey, isKey } from 'gatehouse';
 * isKey(generateKey('ES256')); // true
 * ```
 */
export function isKey(x: unknown): x is Key {
  return typeof x === 'object' && x !== null && KEY_OPS in x;
}

const invalid = (message: string, cause?: unknown): GatehouseError =>
  new GatehouseError('KEY_INVALID', message, cause === undefined ? {} : { cause });

/**
 * Refuses a KeyObject whose type does not fit `alg`: an RSA/EC/OKP key can never act as an
 * HMAC secret (the classic RS256→HS256 confusion), a P-384 key never signs ES256, RSA keys
 * are at least 2048 bits and HMAC secrets at least the hash size (RFC 7518 section 3.2).
 */
function checkKeyType(keyObject: KeyObject, alg: Algorithm): void {
  const spec = ALGORITHM_SPECS[alg];
  if (spec.family === 'HS') {
    if (keyObject.type !== 'secret') throw invalid(`${alg} needs a symmetric secret`);
    if ((keyObject.symmetricKeySize ?? 0) < spec.hashLength) {
      throw invalid(`${alg} needs a secret of at least ${spec.hashLength} bytes`);
    }
    return;
  }
  if (keyObject.type === 'secret') throw invalid(`${alg} needs an asymmetric key, not a secret`);
  const type = keyObject.asymmetricKeyType;
  const details = keyObject.asymmetricKeyDetails ?? {};
  switch (spec.family) {
    case 'RS':
    case 'PS':
      // Plain RSA keys only: `rsa-pss` keys carry their own parameter restrictions and have no JWK form.
      if (type !== 'rsa') throw invalid(`${alg} needs an RSA key`);
      if ((details.modulusLength ?? 0) < 2048) throw invalid('RSA keys must be at least 2048 bits');
      return;
    case 'ES':
      if (type !== 'ec' || details.namedCurve !== spec.curve)
        throw invalid(`${alg} needs an EC ${spec.crv} key`);
      return;
    case 'EdDSA':
      if (type !== 'ed25519') throw invalid('EdDSA needs an Ed25519 key');
      return;
  }
}

function prepareOps(keyObject: KeyObject, alg: Algorithm): KeyOps {
  const spec = ALGORITHM_SPECS[alg];
  const hash = spec.hash;
  if (spec.family === 'HS') {
    // The secret stays inside its KeyObject (never copied into a JS Buffer); createHmac takes
    // the KeyObject directly, as the raw-crypto floor does.
    const mac = (input: string): string =>
      createHmac(hash!, keyObject).update(input, 'latin1').digest('base64url');
    return {
      sign: mac,
      // The expected MAC is encoded and compared with the segment in constant time (no early
      // exit, RFC 8725 section 2.1 / timing oracles). Only the canonical encoding of the MAC
      // can match, so a match also proves the segment canonical; on a mismatch the segment's
      // form decides between SIGNATURE_INVALID and TOKEN_MALFORMED.
      verify: (token, end) =>
        tailEqualsConstantTime(mac(token.slice(0, end)), token, end + 1)
          ? SIG_VALID
          : decodeCanonical(token.slice(end + 1)) === undefined
            ? SIG_MALFORMED
            : SIG_INVALID,
      headerSegments: new Map(),
    };
  }
  const isPrivate = keyObject.type === 'private';
  const publicKey = isPrivate ? createPublicKey(keyObject) : keyObject;
  let signKey:
    | KeyObject
    | { key: KeyObject; padding?: number; saltLength?: number; dsaEncoding?: 'ieee-p1363' };
  let verifyKey: typeof signKey;
  if (spec.family === 'PS') {
    const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.hashLength };
    signKey = { key: keyObject, ...pss };
    verifyKey = { key: publicKey, ...pss };
  } else if (spec.family === 'ES') {
    // IEEE P1363 (r || s), as RFC 7518 section 3.4 requires; OpenSSL also refuses r = s = 0
    // (CVE-2022-21449 never applied to node:crypto, and a test keeps it that way).
    signKey = { key: keyObject, dsaEncoding: 'ieee-p1363' };
    verifyKey = { key: publicKey, dsaEncoding: 'ieee-p1363' };
  } else {
    signKey = keyObject;
    verifyKey = publicKey;
  }
  const fixedLength = spec.signatureLength;
  const verify = (token: string, end: number): number => {
    const signature = decodeCanonical(token.slice(end + 1));
    if (signature === undefined) return SIG_MALFORMED;
    if (fixedLength !== undefined && signature.length !== fixedLength) return SIG_INVALID;
    try {
      const input = Buffer.from(token.slice(0, end), 'latin1');
      return cryptoVerify(hash, input, verifyKey, signature) ? SIG_VALID : SIG_INVALID;
    } catch {
      return SIG_INVALID;
    }
  };
  const sign = isPrivate
    ? (input: string) => cryptoSign(hash, Buffer.from(input, 'latin1'), signKey).toString('base64url')
    : undefined;
  return { sign, verify, headerSegments: new Map() };
}

/** @internal The public JWK members of a KeyObject (or `{k, kty}` of a secret). */
export function publicJwkOf(keyObject: KeyObject): Jwk {
  if (keyObject.type === 'secret') return { kty: 'oct', k: keyObject.export().toString('base64url') };
  const pub = keyObject.type === 'private' ? createPublicKey(keyObject) : keyObject;
  return pub.export({ format: 'jwk' }) as Jwk;
}

/**
 * @internal Binds a KeyObject to `alg` after checking its type; the default kid is the
 * RFC 7638 thumbprint of the public JWK.
 */
export function createKey(keyObject: KeyObject, alg: unknown, kid?: unknown): Key {
  if (!isAlgorithm(alg)) throw invalid('Unsupported or missing algorithm');
  checkKeyType(keyObject, alg);
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0)) {
    throw invalid('The kid must be a non-empty string');
  }
  const key = {
    alg,
    kid: kid ?? thumbprintOfJwk(publicJwkOf(keyObject)),
    type: keyObject.type,
    keyObject,
  };
  Object.defineProperty(key, KEY_OPS, { value: prepareOps(keyObject, alg), enumerable: false });
  return Object.freeze(key) as Key;
}
