/**
 * Strict JSON for JOSE headers and JWT claims sets: UTF-8 only, and the top level must be
 * an object (RFC 7515 section 4, RFC 7519 section 7.2). Arrays, strings, numbers and `null`
 * are refused.
 */
import { isUtf8 } from 'node:buffer';

/**
 * @internal Parses bytes as a JSON object; undefined when they are not valid UTF-8 or not a
 * JSON object. Never throws.
 */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  return parseJsonObjectPrefix(bytes, bytes.length);
}

/**
 * @internal {@link parseJsonObject} of `bytes[0, length)`, without slicing the buffer (the
 * verification hot path parses from a shared scratch buffer).
 */
export function parseJsonObjectPrefix(bytes: Buffer, length: number): Record<string, unknown> | undefined {
  const text = bytes.toString('utf8', 0, length);
  // Invalid UTF-8 would otherwise be silently replaced by U+FFFD, i.e. two different byte
  // strings would parse to the same claims. One char per byte and no U+FFFD means pure ASCII,
  // valid without a second pass; anything else is checked strictly.
  if ((text.length !== length || text.indexOf('\uFFFD') !== -1) && !isUtf8(bytes.subarray(0, length)))
    return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}
