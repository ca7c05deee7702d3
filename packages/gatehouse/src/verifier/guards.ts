/** Role and scope checks on verified claims (pure; used by every adapter's guards). */
import type { AccessTokenClaims } from './types.js';

/**
 * The token's scopes: the RFC 9068 `scope` claim (space-separated string) and/or an `scp` array.
 *
 * @example
 * ```ts
 * scopesOf({ scope: 'articles:read articles:write' }); // ['articles:read', 'articles:write']
 * scopesOf({ scp: ['a', 'b'] });                       // ['a', 'b']
 * ```
 */
export function scopesOf(claims: AccessTokenClaims): string[] {
  const out: string[] = [];
  if (typeof claims.scope === 'string') out.push(...claims.scope.split(' ').filter((s) => s !== ''));
  if (Array.isArray(claims.scp)) for (const s of claims.scp) if (typeof s === 'string') out.push(s);
  return out;
}

/**
 * The token's roles (the `roles` array claim; anything that is not a string is ignored).
 *
 * @example
 * ```ts
 * rolesOf({ roles: ['admin', 42] }); // ['admin']
 * ```
 */
export function rolesOf(claims: AccessTokenClaims): string[] {
  return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
}

/**
 * The required values the token lacks (all are required); empty when it has them all.
 *
 * @example
 * ```ts
 * missing(['read'], ['read', 'write']); // ['write']
 * ```
 */
export function missing(have: readonly string[], required: readonly string[]): string[] {
  const set = new Set(have);
  return required.filter((r) => !set.has(r));
}
