/** Compact JWS signing. */
import { GatehouseError } from '../errors.js';
import { encodeTextBase64url } from './base64url.js';
import { isKey, type Key, keyOps } from './keys/key.js';

/** Header parameters a caller may never set: they come from the key, or are refused outright. */
function checkExtraHeader(header: Record<string, unknown>, key: Key): void {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new GatehouseError('OPTION_INVALID', 'The header option must be an object', { claim: 'header' });
  }
  if (header.alg !== undefined && header.alg !== key.alg) {
    // Never `none`, never an algorithm the key is not bound to.
    throw new GatehouseError('OPTION_INVALID', 'The header alg must be the key algorithm', { claim: 'alg' });
  }
  for (const name of ['crit', 'b64'] as const) {
    if (header[name] !== undefined) {
      throw new GatehouseError('OPTION_INVALID', `The "${name}" header parameter is not supported`, {
        claim: name,
      });
    }
  }
}

/** @internal The signing key's operations, refusing public keys. */
export function signerOf(key: Key): (input: string) => string {
  if (!isKey(key)) throw new GatehouseError('KEY_INVALID', 'Not a Gatehouse key');
  const sign = keyOps(key).sign;
  if (sign === undefined) throw new GatehouseError('KEY_INVALID', 'A public key cannot sign');
  return sign;
}

/** @internal `header.payload.signature`, with the payload given as text (UTF-8) or bytes. */
export function assembleAndSign(
  headerSegment: string,
  payload: string | Uint8Array,
  sign: (input: string) => string,
): string {
  const payloadSegment =
    typeof payload === 'string'
      ? encodeTextBase64url(payload)
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64url');
  const input = `${headerSegment}.${payloadSegment}`;
  return `${input}.${sign(input)}`;
}

/**
 * @internal The encoded header segment `{alg, typ?, kid, ...extra}`. Without extra parameters
 * it is computed once per key and typ and then reused (signing hot path).
 */
export function headerSegment(
  key: Key,
  typ: string | undefined,
  extra: Record<string, unknown> | undefined,
): string {
  if (extra === undefined) {
    const memo = keyOps(key).headerSegments;
    const memoKey = typ ?? '';
    let segment = memo.get(memoKey);
    if (segment === undefined) {
      segment = Buffer.from(
        JSON.stringify(
          typ === undefined ? { alg: key.alg, kid: key.kid } : { alg: key.alg, typ, kid: key.kid },
        ),
      ).toString('base64url');
      if (memo.size < 16) memo.set(memoKey, segment);
    }
    return segment;
  }
  checkExtraHeader(extra, key);
  const header: Record<string, unknown> = { alg: key.alg };
  if (typ !== undefined) header.typ = typ;
  header.kid = key.kid;
  for (const [name, value] of Object.entries(extra)) if (name !== 'alg') header[name] = value;
  return Buffer.from(JSON.stringify(header)).toString('base64url');
}

/**
 * Signs any payload (bytes, or a string as UTF-8) as a compact JWS. The header is
 * `{alg, kid}` from the key plus `header`; `crit` and `b64` are refused, `alg` must be the key's.
 *
 * @example
 * ```ts
 * import { generateKey, signJws } from 'gatehouse';
 * const jws = signJws('hello', generateKey('HS256'), { cty: 'text/plain' });
 * ```
 */
export function signJws(payload: Uint8Array | string, key: Key, header?: Record<string, unknown>): string {
  const sign = signerOf(key);
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    throw new GatehouseError('OPTION_INVALID', 'The payload must be a string or a Uint8Array');
  }
  return assembleAndSign(headerSegment(key, undefined, header), payload, sign);
}
