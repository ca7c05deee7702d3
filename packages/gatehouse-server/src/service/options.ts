/**
 * Checks `AuthServiceOptions` once, at construction, naming the option at fault (the config
 * layer has validated the environment already; this guards embedders calling the library).
 */
import { ALGORITHMS } from 'gatehouse';
import { GatehouseError } from 'gatehouse/errors';
import type { AuthServiceOptions } from './types.js';

/**
 * Throws `OPTION_INVALID` (claim = the option) for the first bad value.
 *
 * @example
 * ```ts
 * checkServiceOptions(options);
 * ```
 */
export function checkServiceOptions(o: AuthServiceOptions): void {
  if (!o || typeof o !== 'object') throw bad('options', 'options must be an object');
  if (!o.store || typeof o.store.rotateRefreshToken !== 'function')
    throw bad('store', 'store must be a Store');
  nonEmpty(o.issuer, 'issuer');
  nonEmpty(o.audience, 'audience');
  seconds(o.accessTtl, 'accessTtl', 1);
  seconds(o.refreshTtl, 'refreshTtl', 1);
  if (o.refreshIdleTtl !== null) seconds(o.refreshIdleTtl, 'refreshIdleTtl', 1);
  seconds(o.reuseGrace, 'reuseGrace', 0);
  seconds(o.keyPropagation, 'keyPropagation', 0);
  if (!(ALGORITHMS as readonly string[]).includes(o.alg))
    throw bad('alg', 'alg must be one of ' + ALGORITHMS.join(', '));
  if (typeof o.openRegistration !== 'boolean')
    throw bad('openRegistration', 'openRegistration must be a boolean');
  if (o.clientId !== undefined) nonEmpty(o.clientId, 'clientId');
  if (o.clock !== undefined && typeof o.clock !== 'function') throw bad('clock', 'clock must be a function');
  if (o.keyEncryptionSecret !== undefined && typeof o.keyEncryptionSecret !== 'string') {
    throw bad('keyEncryptionSecret', 'keyEncryptionSecret must be a string');
  }
}

function nonEmpty(v: unknown, name: string): void {
  if (typeof v !== 'string' || v.trim() === '') throw bad(name, `${name} must be a non-empty string`);
}

function seconds(v: unknown, name: string, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 100 * 365 * 86400) {
    throw bad(name, `${name} must be a whole number of seconds >= ${min}`);
  }
}

function bad(claim: string, message: string): GatehouseError {
  return new GatehouseError('OPTION_INVALID', message, { claim });
}
