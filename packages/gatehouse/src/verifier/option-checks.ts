/** Small validators shared by the option checks: each failure names the option. */
import { parseDuration } from '../core/duration.js';
import { GatehouseError } from '../errors.js';

/**
 * The error of a bad option, naming it in the message and in `claim`.
 *
 * @example
 * ```ts
 * throw invalid('secret', 'must be at least 32 bytes');
 * ```
 */
export function invalid(option: string, message: string): GatehouseError {
  return new GatehouseError('OPTION_INVALID', `The ${option} option ${message}`, { claim: option });
}

/**
 * A duration option: a finite non-negative number of seconds, or a duration string.
 *
 * @example
 * ```ts
 * seconds('revocation.interval', '2s', 1); // 2
 * ```
 */
export function seconds(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw invalid(option, 'must be a finite, non-negative number of seconds');
    return value;
  }
  if (typeof value === 'string') {
    try {
      return parseDuration(value);
    } catch {
      throw invalid(option, "must be a duration such as '30s' or '5m'");
    }
  }
  throw invalid(option, 'must be a number of seconds or a duration string');
}

/**
 * An absolute http(s) URL without credentials.
 *
 * @example
 * ```ts
 * httpUrl('jwksUrl', 'https://auth.example/jwks.json');
 * ```
 */
export function httpUrl(option: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(option, 'must be an http(s) URL string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(option, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(option, 'must be an http(s) URL');
  // Credentials in a URL would end up in status reports and logs: they go in their own options.
  if (url.username !== '' || url.password !== '') throw invalid(option, 'must not contain credentials');
  return value;
}

/**
 * A non-empty string.
 *
 * @example
 * ```ts
 * nonEmpty('revocation.clientId', 'rs-articles');
 * ```
 */
export function nonEmpty(option: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw invalid(option, 'must be a non-empty string');
  return value;
}
