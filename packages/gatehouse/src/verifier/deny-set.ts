/**
 * The in-memory deny set fed by the revocation feed: O(1) look-ups (one `Map` per kind,
 * keyed by the string the token carries), memory bounded by expiry (an entry is dropped once
 * every token it can hit has expired) and an incremental sweep so no single call is slow.
 */

/** What a revocation entry matches in a token. */
export type RevocationKind = 'jti' | 'sid' | 'sub' | 'kid';

/** The kinds, in the order they are checked. */
export const REVOCATION_KINDS: readonly RevocationKind[] = ['jti', 'sid', 'sub', 'kid'];

/** One entry of the revocation feed (times in epoch seconds). */
export interface RevocationEntry {
  kind: RevocationKind;
  value: string;
  /** Only for `sub`: tokens issued (`iat`) before this time are denied; `null` denies them all. */
  notBefore: number | null;
  /** When no token the entry can hit is still valid; the entry is dropped after it. */
  expiresAt: number;
}

/** The parts of a verified token the deny set looks at. */
export interface RevocationSubject {
  header: { kid?: unknown };
  payload: { jti?: unknown; sid?: unknown; sub?: unknown; iat?: unknown };
}

/** Entry counts per kind. */
export type DenySetSizes = { [K in RevocationKind]: number } & { total: number };

/**
 * @example
 * ```ts
 * const deny = new DenySet();
 * deny.add({ kind: 'jti', value: 'a1', notBefore: null, expiresAt: 1_900_000_000 });
 * deny.check({ header: {}, payload: { jti: 'a1' } }); // 'jti'
 * ```
 */
export class DenySet {
  // Values are the entry's expiresAt (a small integer: a Smi in V8, no extra allocation).
  readonly #jti = new Map<string, number>();
  readonly #sid = new Map<string, number>();
  readonly #kid = new Map<string, number>();
  // sub: the cut-off (Infinity when notBefore is null) and the expiry.
  readonly #sub = new Map<string, { notBefore: number; expiresAt: number }>();
  #sweepKind = 0;
  #sweepIterator: Iterator<[string, number | { expiresAt: number }]> | undefined;

  /**
   * Adds (or widens) an entry. A second entry for the same value keeps the later expiry and,
   * for `sub`, the later cut-off: revocation only ever grows until it expires.
   */
  add(entry: RevocationEntry): void {
    const { value, expiresAt } = entry;
    if (entry.kind === 'sub') {
      const notBefore = entry.notBefore ?? Number.POSITIVE_INFINITY;
      const prev = this.#sub.get(value);
      if (prev === undefined) this.#sub.set(value, { notBefore, expiresAt });
      else {
        prev.notBefore = Math.max(prev.notBefore, notBefore);
        prev.expiresAt = Math.max(prev.expiresAt, expiresAt);
      }
      return;
    }
    const map = this.#map(entry.kind);
    const prev = map.get(value);
    if (prev === undefined || prev < expiresAt) map.set(value, expiresAt);
  }

  /**
   * Returns the kind of the first entry that denies this token, or `undefined`. Expired
   * entries not yet swept still deny: they can only hit tokens that are expired anyway.
   */
  check(token: RevocationSubject): RevocationKind | undefined {
    const { payload } = token;
    if (this.#jti.size !== 0 && typeof payload.jti === 'string' && this.#jti.has(payload.jti)) return 'jti';
    if (this.#sid.size !== 0 && typeof payload.sid === 'string' && this.#sid.has(payload.sid)) return 'sid';
    if (this.#sub.size !== 0 && typeof payload.sub === 'string') {
      const cut = this.#sub.get(payload.sub);
      // Security: a token without a numeric iat cannot prove it was issued after the cut-off.
      if (cut !== undefined && (typeof payload.iat !== 'number' || !(payload.iat >= cut.notBefore)))
        return 'sub';
    }
    const kid = token.header.kid;
    if (this.#kid.size !== 0 && typeof kid === 'string' && this.#kid.has(kid)) return 'kid';
    return undefined;
  }

  /** Whether a signing key id is revoked (used to drop it from the key cache). */
  hasKid(kid: string): boolean {
    return this.#kid.has(kid);
  }

  /**
   * Drops entries whose `expiresAt` is before `cutoff`, visiting at most `budget` entries per
   * call and resuming where the last call stopped (an incremental sweep). Returns how many
   * entries were removed.
   */
  sweep(cutoff: number, budget = 20_000): number {
    const maps = [this.#jti, this.#sid, this.#sub, this.#kid] as Map<
      string,
      number | { expiresAt: number }
    >[];
    let removed = 0;
    let visited = 0;
    let emptyKinds = 0;
    while (visited < budget && emptyKinds < maps.length) {
      const map = maps[this.#sweepKind]!;
      this.#sweepIterator ??= map.entries();
      const next = this.#sweepIterator.next();
      if (next.done === true) {
        this.#sweepIterator = undefined;
        this.#sweepKind = (this.#sweepKind + 1) % maps.length;
        emptyKinds += 1;
        continue;
      }
      emptyKinds = 0;
      visited += 1;
      const [key, value] = next.value;
      const expiresAt = typeof value === 'number' ? value : value.expiresAt;
      // Deleting the current entry while iterating a Map is well defined in JavaScript.
      if (expiresAt < cutoff) {
        map.delete(key);
        removed += 1;
      }
    }
    return removed;
  }

  /** Entry counts per kind, and the total. */
  sizes(): DenySetSizes {
    const jti = this.#jti.size;
    const sid = this.#sid.size;
    const sub = this.#sub.size;
    const kid = this.#kid.size;
    return { jti, sid, sub, kid, total: jti + sid + sub + kid };
  }

  /** Total number of entries. */
  get size(): number {
    return this.#jti.size + this.#sid.size + this.#sub.size + this.#kid.size;
  }

  #map(kind: 'jti' | 'sid' | 'kid'): Map<string, number> {
    return kind === 'jti' ? this.#jti : kind === 'sid' ? this.#sid : this.#kid;
  }
}
