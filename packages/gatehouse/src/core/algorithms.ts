/**
 * The JWS algorithms Gatehouse supports and how each maps onto node:crypto.
 *
 * `none` is deliberately absent: it is not an `Algorithm`, so it can never be configured,
 * allowed or emitted (RFC 8725 section 3.1).
 */
import { GatehouseError } from '../errors.js';

/** A JWS algorithm (RFC 7518 section 3, RFC 8037 for EdDSA/Ed25519). */
export type Algorithm =
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

/**
 * Every supported algorithm, in a stable order.
 *
 * @example
 * ```ts
 * import { ALGORITHMS } from 'gatehouse';
 * console.log(ALGORITHMS.includes('ES256')); // true
 * ```
 */
export const ALGORITHMS: readonly Algorithm[] = Object.freeze([
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
] as const);

/** @internal How an algorithm maps onto node:crypto. */
export interface AlgorithmSpec {
  readonly family: 'HS' | 'RS' | 'PS' | 'ES' | 'EdDSA';
  /** node:crypto digest name; null for EdDSA (the hash is part of the scheme). */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
  /** Digest size in bytes: minimum HMAC secret size and PSS salt length. */
  readonly hashLength: number;
  /** EC/OKP curve as node:crypto names it (`namedCurve`), when there is one. */
  readonly curve?: 'prime256v1' | 'secp384r1' | 'secp521r1';
  /** JWK `crv` for EC/OKP keys. */
  readonly crv?: 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
  /** Exact signature length in bytes, when fixed by the algorithm (HMAC, ECDSA P1363, Ed25519). */
  readonly signatureLength?: number;
}

const spec = (s: AlgorithmSpec): AlgorithmSpec => Object.freeze(s);

/** @internal */
export const ALGORITHM_SPECS: Readonly<Record<Algorithm, AlgorithmSpec>> = Object.freeze({
  HS256: spec({ family: 'HS', hash: 'sha256', hashLength: 32, signatureLength: 32 }),
  HS384: spec({ family: 'HS', hash: 'sha384', hashLength: 48, signatureLength: 48 }),
  HS512: spec({ family: 'HS', hash: 'sha512', hashLength: 64, signatureLength: 64 }),
  RS256: spec({ family: 'RS', hash: 'sha256', hashLength: 32 }),
  RS384: spec({ family: 'RS', hash: 'sha384', hashLength: 48 }),
  RS512: spec({ family: 'RS', hash: 'sha512', hashLength: 64 }),
  PS256: spec({ family: 'PS', hash: 'sha256', hashLength: 32 }),
  PS384: spec({ family: 'PS', hash: 'sha384', hashLength: 48 }),
  PS512: spec({ family: 'PS', hash: 'sha512', hashLength: 64 }),
  // ECDSA signatures are IEEE P1363 `r || s` (RFC 7518 section 3.4), never DER.
  ES256: spec({
    family: 'ES',
    hash: 'sha256',
    hashLength: 32,
    curve: 'prime256v1',
    crv: 'P-256',
    signatureLength: 64,
  }),
  ES384: spec({
    family: 'ES',
    hash: 'sha384',
    hashLength: 48,
    curve: 'secp384r1',
    crv: 'P-384',
    signatureLength: 96,
  }),
  ES512: spec({
    family: 'ES',
    hash: 'sha512',
    hashLength: 64,
    curve: 'secp521r1',
    crv: 'P-521',
    signatureLength: 132,
  }),
  EdDSA: spec({ family: 'EdDSA', hash: null, hashLength: 64, crv: 'Ed25519', signatureLength: 64 }),
});

/**
 * Type guard: is `x` one of the supported algorithm names (case-sensitive, as RFC 7515 says)?
 *
 * @example
 * ```ts
 * import { isAlgorithm } from 'gatehouse';
 * isAlgorithm('RS256'); // true
 * isAlgorithm('none'); // false
 * ```
 */
export function isAlgorithm(x: unknown): x is Algorithm {
  return typeof x === 'string' && Object.hasOwn(ALGORITHM_SPECS, x);
}

/**
 * @internal Validates an algorithm allow-list option, naming the option when it is wrong.
 * Returns the list itself (a one-shot verification reads it once) or, with `copy`, a frozen
 * copy that later changes to the caller's array cannot reach (prepared verifiers).
 */
export function checkAlgorithmList(value: unknown, copy = false, option = 'algorithms'): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new GatehouseError(
      'OPTION_INVALID',
      `The ${option} option must be a non-empty array of algorithms`,
      {
        claim: option,
      },
    );
  }
  for (let i = 0; i < value.length; i++) {
    if (!isAlgorithm(value[i])) {
      const shown = JSON.stringify(String(value[i]).slice(0, 20));
      throw new GatehouseError(
        'OPTION_INVALID',
        `The ${option} option holds an unsupported algorithm ${shown}`,
        {
          claim: option,
        },
      );
    }
  }
  return copy ? Object.freeze([...(value as string[])]) : (value as string[]);
}
