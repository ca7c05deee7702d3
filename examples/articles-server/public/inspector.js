// @ts-check
/**
 * The local token inspector: decodes a JWS and verifies its signature against the auth
 * server's JWKS with WebCrypto. Only the public keys are fetched; the token never leaves the page.
 */

/** @param {string} segment */
function decodeSegment(segment) {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) throw new Error('not base64url');
  const b64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * Splits and decodes a compact JWS without verifying anything.
 * @param {string} token
 */
export function decodeJwt(token) {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new Error('A JWT has three dot-separated parts');
  const [h, p, s] = /** @type {[string, string, string]} */ (parts);
  const text = (/** @type {string} */ seg) =>
    new TextDecoder('utf-8', { fatal: true }).decode(decodeSegment(seg));
  const header = JSON.parse(text(h));
  const claims = JSON.parse(text(p));
  if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) {
    throw new Error('The header and the claims must be JSON objects');
  }
  return { header, claims, signingInput: `${h}.${p}`, signature: decodeSegment(s) };
}

/** WebCrypto parameters by JWS `alg` (RFC 7518); HS* is left out: its secret is never published. */
const ALGORITHMS = {
  ES256: { importAs: { name: 'ECDSA', namedCurve: 'P-256' }, verifyAs: { name: 'ECDSA', hash: 'SHA-256' } },
  ES384: { importAs: { name: 'ECDSA', namedCurve: 'P-384' }, verifyAs: { name: 'ECDSA', hash: 'SHA-384' } },
  RS256: {
    importAs: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    verifyAs: { name: 'RSASSA-PKCS1-v1_5' },
  },
  PS256: { importAs: { name: 'RSA-PSS', hash: 'SHA-256' }, verifyAs: { name: 'RSA-PSS', saltLength: 32 } },
  EdDSA: { importAs: { name: 'Ed25519' }, verifyAs: { name: 'Ed25519' } },
};

/**
 * Verifies the signature of a decoded token against a JWKS.
 * @param {ReturnType<typeof decodeJwt>} jwt
 * @param {{ keys?: Array<Record<string, unknown>> }} jwks
 * @returns {Promise<{ ok: boolean, reason: string }>}
 */
export async function verifySignature(jwt, jwks) {
  const alg = String(jwt.header.alg);
  if (alg.startsWith('HS')) {
    return { ok: false, reason: `${alg}: a shared secret is never published, so a browser cannot verify it` };
  }
  const params = /** @type {Record<string, { importAs: object, verifyAs: object }>} */ (ALGORITHMS)[alg];
  if (params === undefined) return { ok: false, reason: `algorithm ${alg} is not accepted` };
  const jwk = (jwks.keys ?? []).find((k) => k.kid === jwt.header.kid);
  if (jwk === undefined)
    return { ok: false, reason: `no key with kid ${String(jwt.header.kid)} in the JWKS` };
  // The key must be meant for this algorithm: never let the token choose how its key is used.
  if (jwk.alg !== undefined && jwk.alg !== alg)
    return { ok: false, reason: `key ${String(jwk.kid)} is for ${String(jwk.alg)}` };
  const { alg: _a, use: _u, key_ops: _k, ...bare } = jwk;
  const key = await crypto.subtle.importKey('jwk', bare, /** @type {any} */ (params.importAs), false, [
    'verify',
  ]);
  const ok = await crypto.subtle.verify(
    /** @type {any} */ (params.verifyAs),
    key,
    jwt.signature,
    new TextEncoder().encode(jwt.signingInput),
  );
  return { ok, reason: ok ? `signature valid (${alg}, key ${String(jwk.kid)})` : 'signature does NOT match' };
}

/**
 * Checks of the time and issuer claims, in words.
 * @param {Record<string, unknown>} claims
 * @param {string} issuer
 * @param {number} nowSeconds
 */
export function claimNotes(claims, issuer, nowSeconds) {
  const notes = [];
  if (typeof claims.exp === 'number') {
    const left = Math.round(claims.exp - nowSeconds);
    notes.push(left > 0 ? `expires in ${left} s` : `expired ${-left} s ago`);
  } else notes.push('no exp claim');
  notes.push(claims.iss === issuer ? 'issuer matches' : `issuer ${String(claims.iss)} is not ${issuer}`);
  return notes;
}

/**
 * Claims with the NumericDate ones shown as dates too.
 * @param {Record<string, unknown>} claims
 */
export function describeClaims(claims) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [k, v] of Object.entries(claims)) {
    out[k] =
      (k === 'exp' || k === 'iat' || k === 'nbf') && typeof v === 'number'
        ? `${v} (${new Date(v * 1000).toISOString()})`
        : v;
  }
  return out;
}
