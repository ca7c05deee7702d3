/**
 * `gatehouse`: the zero-dependency token core (JWS/JWT sign and verify, keys, JWK/JWKS,
 * claims, durations, errors). This file only re-exports; see docs/api/core.md.
 */

// --- token core -----------------------------------------------------------------------------
export { ALGORITHMS, type Algorithm, isAlgorithm } from './core/algorithms.js';
export { base64urlDecode, base64urlEncode, isCanonicalBase64url } from './core/base64url.js';
export type { ClaimsOptions } from './core/claims.js';
export { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions } from './core/create-verifier.js';
export { parseDuration } from './core/duration.js';
export {
  DEFAULT_MAX_TOKEN_SIZE,
  type DecodeOptions,
  decodeJwt,
  type JwsHeader,
  type JwtPayload,
} from './core/jws-decode.js';
export { signJws } from './core/jws-sign.js';
export { verifyJws } from './core/jws-verify.js';
export { type SignJwtOptions, signJwt } from './core/jwt-sign.js';
export { type VerifiedJwt, type VerifyOptions, verifyJwt } from './core/jwt-verify.js';
export { type ExportJwkOptions, exportJwk, exportPem, toPublicKey } from './core/keys/export.js';
export { type GenerateKeyOptions, generateKey } from './core/keys/generate.js';
export {
  type ImportJwkOptions,
  type ImportKeyOptions,
  importJwk,
  importPem,
  importSecret,
} from './core/keys/import.js';
export { isKey, type Jwk, type Jwks, type Key } from './core/keys/key.js';
export {
  createKeySet,
  type ImportJwksOptions,
  importJwks,
  isKeySet,
  type KeySet,
} from './core/keys/key-set.js';
export { jwkThumbprint } from './core/keys/thumbprint.js';
// --- errors ---------------------------------------------------------------------------------
export {
  CODES,
  ERRORS,
  GatehouseError,
  type GatehouseErrorCode,
  type GatehouseErrorOptions,
  isGatehouseError,
  PROBLEM_TYPE_BASE,
  type Problem,
  toProblem,
} from './errors.js';

// --- resource-server verifier and adapters ----------------------------------------------------
export { createVerifier, type Verifier } from './verifier/create-verifier.js';
export type { RevocationEntry, RevocationKind } from './verifier/deny-set.js';
export type { JwksStatus } from './verifier/jwks-remote.js';
export type { JwksOptions, RevocationOptions, VerifierOptions } from './verifier/options.js';
export type { RevocationFeedStatus } from './verifier/revocation-feed.js';
export type { AccessTokenClaims, AuthInfo, VerifierStatus } from './verifier/types.js';
