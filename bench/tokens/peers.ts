/**
 * The peers and the floor, each prepared up front (keys imported once, verifiers created once),
 * so that the measured function is only the per-token work a server does on every request.
 */
import { createSigner, createVerifier } from 'fast-jwt';
import { importPKCS8, importSPKI, jwtVerify, SignJWT } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import { rawSigner, rawVerifier, splitJws } from '../lib/raw-jws.js';
import { AUDIENCE, ISSUER, type TokenFixture, TYP } from './fixture.js';

/** One library's prepared operations for one algorithm; absent when the library lacks the algorithm. */
export interface LibraryOps {
  library: string;
  /** Awaited per operation (promise-returning API). */
  async?: boolean;
  sign?: () => unknown;
  verify?: () => unknown;
  /** Turns a verify result into its claims (only used by the sanity check, never timed). */
  claimsOf?: (result: unknown) => Record<string, unknown>;
  /** Checked after the measurement: a message when the row is not what it claims to be. */
  afterRun?: () => string | undefined;
}

export const FLOOR = 'node:crypto';

/** The floor: the raw `node:crypto` call over the same signing input, buffers prepared up front. */
export function floorOps(f: TokenFixture): LibraryOps {
  const { data, signature } = splitJws(f.token);
  const signRaw = rawSigner(f.keys);
  const verifyRaw = rawVerifier(f.keys);
  return {
    library: FLOOR,
    sign: () => signRaw(data),
    verify: () => {
      if (!verifyRaw(data, signature)) throw new Error('floor: signature did not verify');
      return f.payload;
    },
    claimsOf: (r) => r as Record<string, unknown>,
  };
}

async function joseKeys(f: TokenFixture): Promise<{ signKey: CryptoKey; verifyKey: CryptoKey }> {
  const { alg, keys } = f;
  if (keys.secret) {
    // jose turns a Uint8Array into a CryptoKey on every call; import once, as a server would.
    const algo = { name: 'HMAC', hash: `SHA-${alg.slice(2)}` };
    const key = await crypto.subtle.importKey('raw', new Uint8Array(keys.secret), algo, false, [
      'sign',
      'verify',
    ]);
    return { signKey: key, verifyKey: key };
  }
  return {
    signKey: await importPKCS8(keys.privatePem!, alg),
    verifyKey: await importSPKI(keys.publicPem!, alg),
  };
}

/** jose 6: WebCrypto only, so every operation is async; measured as one awaited call per op. */
export async function joseOps(f: TokenFixture): Promise<LibraryOps> {
  const { signKey, verifyKey } = await joseKeys(f);
  const header = { alg: f.alg, typ: TYP, kid: f.keys.kid };
  const options = { algorithms: [f.alg], issuer: ISSUER, audience: AUDIENCE };
  return {
    library: 'jose',
    async: true,
    sign: () => new SignJWT(f.payload).setProtectedHeader(header).sign(signKey),
    verify: () => jwtVerify(f.token, verifyKey, options),
    claimsOf: (r) => (r as { payload: Record<string, unknown> }).payload,
  };
}

function fastJwtKeys(f: TokenFixture): { signKey: string | Buffer; verifyKey: string | Buffer } {
  if (f.keys.secret) return { signKey: f.keys.secret, verifyKey: f.keys.secret };
  return { signKey: f.keys.privatePem!, verifyKey: f.keys.publicPem! };
}

/** fast-jwt: prepared signer/verifier; `cache` true gives its verified-token cache (hit path). */
export function fastJwtOps(f: TokenFixture, cache: boolean): LibraryOps {
  const { signKey, verifyKey } = fastJwtKeys(f);
  const signer = createSigner({
    key: signKey,
    algorithm: f.alg,
    kid: f.keys.kid,
    header: { alg: f.alg, typ: TYP },
    noTimestamp: true,
  });
  const verifier = createVerifier({
    key: verifyKey,
    algorithms: [f.alg],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    cache,
  });
  return {
    library: cache ? 'fast-jwt (cache hit)' : 'fast-jwt',
    ...(cache ? {} : { sign: () => signer(f.payload) }),
    verify: () => verifier(f.token),
    claimsOf: (r) => r as Record<string, unknown>,
  };
}

/** jsonwebtoken 9: KeyObjects prepared up front; it has no EdDSA. */
export function jsonwebtokenOps(f: TokenFixture): LibraryOps {
  if (f.alg === 'EdDSA') return { library: 'jsonwebtoken' };
  const alg = f.alg;
  const signOptions = { algorithm: alg, keyid: f.keys.kid, header: { alg, typ: TYP } };
  const verifyOptions = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE };
  return {
    library: 'jsonwebtoken',
    sign: () => jsonwebtoken.sign(f.payload, f.keys.signKey, signOptions),
    verify: () => jsonwebtoken.verify(f.token, f.keys.verifyKey, verifyOptions),
    claimsOf: (r) => r as Record<string, unknown>,
  };
}
