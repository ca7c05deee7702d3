/**
 * The floor of the benchmarks: compact JWS sign/verify written directly on `node:crypto`,
 * with every key prepared up front as a `KeyObject` and no option handling at all.
 *
 * This is NOT a JWT library: it checks nothing but the signature. It exists so that the
 * benchmarks can say how close a real library comes to the cost of the cryptography itself,
 * and so that the HTTP benchmark can mint tokens without depending on the code it measures.
 */
import {
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';

/** The algorithms the benchmarks know (RFC 7518 names). */
export type BenchAlg =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

/** Every algorithm, in the order tables print them. */
export const BENCH_ALGS: readonly BenchAlg[] = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Key material for one algorithm in every shape the libraries under test want. */
export interface BenchKeys {
  alg: BenchAlg;
  kid: string;
  /** HS*: the secret key; otherwise the private key. */
  signKey: KeyObject;
  /** HS*: the same secret key; otherwise the public key. */
  verifyKey: KeyObject;
  /** HS* only: the raw secret bytes. */
  secret?: Buffer;
  /** Asymmetric only: PKCS#8 private and SPKI public PEM. */
  privatePem?: string;
  publicPem?: string;
}

const CURVES: Partial<Record<BenchAlg, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

function hashOf(alg: BenchAlg): string {
  return `sha${alg.slice(2)}`;
}

/**
 * Generates fresh keys for `alg` (RSA 2048 bits, the usual deployment size).
 *
 * @example
 * ```ts
 * const keys = generateBenchKeys('ES256'); // keys.signKey, keys.publicPem, ...
 * ```
 */
export function generateBenchKeys(alg: BenchAlg): BenchKeys {
  const kid = `bench-${alg.toLowerCase()}`;
  if (alg.startsWith('HS')) {
    const secret = randomBytes(Number(alg.slice(2)) / 8);
    const key = createSecretKey(secret);
    return { alg, kid, signKey: key, verifyKey: key, secret };
  }
  const pair =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : alg.startsWith('ES')
        ? generateKeyPairSync('ec', { namedCurve: CURVES[alg] ?? '' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  // Re-import from PEM so every library starts from the same bytes.
  return {
    alg,
    kid,
    signKey: createPrivateKey(privatePem),
    verifyKey: createPublicKey(publicPem),
    privatePem,
    publicPem,
  };
}

/**
 * Returns a one-shot signer over already-encoded bytes: the raw `node:crypto` call and nothing else.
 * ECDSA uses IEEE P1363 (`r || s`) as RFC 7518 3.4 requires; PS* use the digest-length salt.
 */
export function rawSigner(keys: BenchKeys): (data: Buffer) => Buffer {
  const { alg, signKey } = keys;
  const hash = hashOf(alg);
  if (alg.startsWith('HS')) return (data) => createHmac(hash, signKey).update(data).digest();
  if (alg === 'EdDSA') return (data) => sign(null, data, signKey);
  if (alg.startsWith('ES')) {
    const opts = { key: signKey, dsaEncoding: 'ieee-p1363' as const };
    return (data) => sign(hash, data, opts);
  }
  if (alg.startsWith('PS')) {
    const opts = {
      key: signKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    };
    return (data) => sign(hash, data, opts);
  }
  return (data) => sign(hash, data, signKey);
}

/** The matching one-shot verifier (HMAC compared in constant time, as a real verifier must). */
export function rawVerifier(keys: BenchKeys): (data: Buffer, signature: Buffer) => boolean {
  const { alg, verifyKey } = keys;
  const hash = hashOf(alg);
  if (alg.startsWith('HS')) {
    return (data, signature) => {
      const mac = createHmac(hash, verifyKey).update(data).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    };
  }
  if (alg === 'EdDSA') return (data, signature) => verify(null, data, verifyKey, signature);
  if (alg.startsWith('ES')) {
    const opts = { key: verifyKey, dsaEncoding: 'ieee-p1363' as const };
    return (data, signature) => verify(hash, data, opts, signature);
  }
  if (alg.startsWith('PS')) {
    const opts = {
      key: verifyKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    };
    return (data, signature) => verify(hash, data, opts, signature);
  }
  return (data, signature) => verify(hash, data, verifyKey, signature);
}

function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * Builds a compact JWS with the raw signer (used to mint benchmark tokens).
 *
 * @example
 * ```ts
 * const token = rawSignJwt(generateBenchKeys('HS256'), { sub: 'u1', exp: 1_900_000_000 }, { typ: 'at+jwt' });
 * ```
 */
export function rawSignJwt(
  keys: BenchKeys,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const signingInput = `${b64url(JSON.stringify({ alg: keys.alg, typ: 'JWT', kid: keys.kid, ...header }))}.${b64url(JSON.stringify(payload))}`;
  return `${signingInput}.${b64url(rawSigner(keys)(Buffer.from(signingInput)))}`;
}

/**
 * Splits a compact JWS into the signing-input bytes and the signature bytes.
 *
 * @example
 * ```ts
 * const { data, signature } = splitJws(token);
 * rawVerifier(keys)(data, signature); // true
 * ```
 */
export function splitJws(token: string): { data: Buffer; signature: Buffer } {
  const dot = token.lastIndexOf('.');
  return {
    data: Buffer.from(token.slice(0, dot)),
    signature: Buffer.from(token.slice(dot + 1), 'base64url'),
  };
}
