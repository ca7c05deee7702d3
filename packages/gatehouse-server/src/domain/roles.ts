/**
 * Roles: short identifiers carried in the access token's `roles` claim. Pure.
 */
import { GatehouseError } from 'gatehouse/errors';

/** The role that opens `/admin/*` and the demo's `/articles/all`. */
export const ADMIN_ROLE = 'admin';
/** Roles given to self-registered users. */
export const DEFAULT_ROLES: readonly string[] = Object.freeze([]);
export const MAX_ROLES = 32;
const ROLE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/**
 * Validates a role list: at most 32 identifiers of 1..64 characters (letter first, then
 * letters, digits, `_ . : -`), duplicates removed, order kept. Throws `VALIDATION_FAILED`.
 *
 * @example
 * ```ts
 * normalizeRoles(['admin', 'editor', 'admin']); // ['admin', 'editor']
 * ```
 */
export function normalizeRoles(input: unknown): string[] {
  if (!Array.isArray(input)) throw invalid('roles must be an array of strings');
  if (input.length > MAX_ROLES) throw invalid(`at most ${MAX_ROLES} roles`);
  const out: string[] = [];
  for (const role of input) {
    if (typeof role !== 'string' || !ROLE.test(role))
      throw invalid('a role must be 1..64 letters, digits, _ . : -');
    if (!out.includes(role)) out.push(role);
  }
  return out;
}

/**
 * True when the role list holds `role`.
 *
 * @example
 * ```ts
 * hasRole(auth.roles, ADMIN_ROLE);
 * ```
 */
export function hasRole(roles: readonly string[], role: string): boolean {
  return roles.includes(role);
}

function invalid(message: string): GatehouseError {
  return new GatehouseError('VALIDATION_FAILED', message, { claim: 'roles', reason: 'invalid' });
}
