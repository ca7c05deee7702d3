/** Strict parsing of compact JWS: three segments, canonical base64url, JSON-object header. */
import { GatehouseError } from '../errors.js';
import type { Algorithm } from './algorithms.js';
import { decodeCanonical, decodeCanonicalToScratch, scratchBuffer } from './base64url.js';
import { parseJsonObjectPrefix } from './json.js';

/** A JOSE header as Gatehouse returns it (after verification `alg` is an allowed algorithm). */
export interface JwsHeader {
  alg: Algorithm;
  typ?: string;
  kid?: string;
  cty?: string;
  crit?: string[];
  [parameter: string]: unknown;
}

/** A JWT claims set (RFC 7519 section 4). */
export interface JwtPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

/**
 * Default limit on the compact token length, in bytes (8 KiB); `maxTokenSize` changes it.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_TOKEN_SIZE, verifyJwt } from 'gatehouse';
 * verifyJwt(token, key, { algorithms: ['ES256'], maxTokenSize: 2 * DEFAULT_MAX_TOKEN_SIZE });
 * ```
 */
export const DEFAULT_MAX_TOKEN_SIZE = 8192;

/** @internal The three segments of a compact JWS and the end of its signing input. */
export interface Segments {
  readonly header: string;
  readonly payload: string;
  readonly signature: string;
  /** `token.slice(0, signingInputEnd)` is the JWS signing input. */
  readonly signingInputEnd: number;
}

/** @internal */
export const malformed = (message: string): GatehouseError => new GatehouseError('TOKEN_MALFORMED', message);

/**
 * @internal Size limit, then exactly three segments. The size is checked first, before any
 * other work, so a huge input costs nothing. Tokens are ASCII, so length equals bytes; a
 * non-ASCII string is refused later as non-canonical base64url.
 */
export function splitToken(token: unknown, maxTokenSize: number): Segments {
  if (typeof token !== 'string') throw malformed('The token must be a string');
  if (token.length > maxTokenSize)
    throw new GatehouseError('TOKEN_TOO_LARGE', 'The token exceeds the size limit');
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) >= 0) throw malformed('A JWS has exactly three segments');
  return {
    header: token.slice(0, first),
    payload: token.slice(first + 1, second),
    signature: token.slice(second + 1),
    signingInputEnd: second,
  };
}

/**
 * @internal Parses a header segment: a JSON object whose `alg` is a string and whose `kid`
 * and `typ`, when present, are strings. The algorithm allow-list is checked by the caller.
 */
export function parseHeaderSegment(segment: string): Record<string, unknown> {
  const length = decodeCanonicalToScratch(segment);
  if (length < 0) throw malformed('The header is not canonical base64url');
  const header = parseJsonObjectPrefix(scratchBuffer(), length);
  if (header === undefined) throw malformed('The header is not a JSON object');
  if (typeof header.alg !== 'string') throw malformed('The header has no "alg"');
  if (header.kid !== undefined && typeof header.kid !== 'string')
    throw malformed('The header "kid" is not a string');
  if (header.typ !== undefined && typeof header.typ !== 'string')
    throw malformed('The header "typ" is not a string');
  return header;
}

/** @internal Decodes the payload segment as a JSON object (a JWT claims set). */
export function parsePayloadSegment(segment: string): JwtPayload {
  const length = decodeCanonicalToScratch(segment);
  if (length < 0) throw malformed('The payload is not canonical base64url');
  const payload = parseJsonObjectPrefix(scratchBuffer(), length);
  if (payload === undefined) throw malformed('The payload is not a JSON object');
  return payload as JwtPayload;
}

/** Options of {@link decodeJwt}. */
export interface DecodeOptions {
  /** Maximum token length in bytes; default 8192. */
  maxTokenSize?: number;
}

/**
 * Decodes a JWT **without verifying it**, with the same strict parsing as verification
 * (three segments, canonical base64url, JSON objects, size limit). For inspection only:
 * never trust what it returns.
 *
 * @example
 * ```ts
 * import { decodeJwt } from 'gatehouse';
 * const { header, payload } = decodeJwt(token);
 * console.log(header.kid, payload.exp);
 * ```
 */
export function decodeJwt(
  token: string,
  options: DecodeOptions = {},
): { header: Record<string, unknown>; payload: JwtPayload } {
  const segments = splitToken(token, checkMaxTokenSize(options.maxTokenSize));
  const header = parseHeaderSegment(segments.header);
  const payload = parsePayloadSegment(segments.payload);
  if (decodeCanonical(segments.signature) === undefined)
    throw malformed('The signature is not canonical base64url');
  return { header, payload };
}

/** @internal Validates the maxTokenSize option. */
export function checkMaxTokenSize(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_TOKEN_SIZE;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 16) {
    throw new GatehouseError(
      'OPTION_INVALID',
      'The maxTokenSize option must be an integer of at least 16 (bytes)',
    );
  }
  return value;
}
