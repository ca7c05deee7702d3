/**
 * Signing-key policy, pure: which stored key signs at a given instant, which are published,
 * and how a key is shown to operators. Every instance applies the same order to the same
 * rows, which is what makes instances sharing one database agree.
 */
import type { SigningKeyRecord } from '../storage/types.js';

/** Operator view of a key (`gatehouse keys list`). */
export interface SigningKeyStatusView {
  kid: string;
  alg: string;
  status: 'pending' | 'active' | 'retired' | 'revoked';
  createdAt: string;
  activatesAt: string;
  publishUntil: string | null;
}

/**
 * A key of `alg` that may sign now or later: not revoked, not yet retired.
 *
 * @example
 * ```ts
 * records.filter((r) => isUsableSigner(r, 'ES256', now));
 * ```
 */
export function isUsableSigner(k: SigningKeyRecord, alg: string, now: number): boolean {
  return k.alg === alg && k.revokedAt === null && (k.retiredAt === null || k.retiredAt > now);
}

/**
 * In the JWKS (and accepted by our own verification): not revoked, and still within
 * `publishUntil` (tokens it signed may still be valid). Pending keys are published at once.
 *
 * @example
 * ```ts
 * const jwks = records.filter((r) => isPublished(r, now));
 * ```
 */
export function isPublished(k: SigningKeyRecord, now: number): boolean {
  return k.revokedAt === null && (k.publishUntil === null || k.publishUntil > now);
}

/**
 * Signing preference, the same on every instance: the newest activation first (a rotated-in
 * key takes over), then the oldest creation, then the smallest kid.
 *
 * @example
 * ```ts
 * const signer = records.filter(canSignNow).sort(bySigningPreference)[0];
 * ```
 */
export function bySigningPreference(a: SigningKeyRecord, b: SigningKeyRecord): number {
  return (
    b.activatesAt - a.activatesAt || a.createdAt - b.createdAt || (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0)
  );
}

/**
 * The key that signs at `now`, or undefined.
 *
 * @example
 * ```ts
 * pickSigner(await store.listSigningKeys(), 'ES256', Date.now())?.kid;
 * ```
 */
export function pickSigner(
  records: readonly SigningKeyRecord[],
  alg: string,
  now: number,
): SigningKeyRecord | undefined {
  return records
    .filter((r) => isUsableSigner(r, alg, now) && r.activatesAt <= now)
    .sort(bySigningPreference)[0];
}

/**
 * The operator's view: `revoked`, `pending` (not yet signing), `active` (the signer) or
 * `retired` (still published for the tokens it signed, or past that).
 *
 * @example
 * ```ts
 * records.map((r) => keyStatusView(r, now, signer?.kid));
 * ```
 */
export function keyStatusView(
  r: SigningKeyRecord,
  now: number,
  signerKid: string | undefined,
): SigningKeyStatusView {
  const status =
    r.revokedAt !== null
      ? 'revoked'
      : r.activatesAt > now
        ? 'pending'
        : r.kid === signerKid
          ? 'active'
          : 'retired';
  return {
    kid: r.kid,
    alg: r.alg,
    status,
    createdAt: new Date(r.createdAt).toISOString(),
    activatesAt: new Date(r.activatesAt).toISOString(),
    publishUntil: r.publishUntil === null ? null : new Date(r.publishUntil).toISOString(),
  };
}
