/**
 * The in-memory deny set fed by the revocation feed: O(1) look-ups (one `Map` per kind,
 * keyed by the string the token carries, behind a compact filter), memory bounded by expiry
 * (an entry is dropped once every token it can hit has expired) and an incremental sweep so no
 * single call is slow.
 */

/**
 * @internal A fast 32-bit hash of `s` for the filter: its length and at most 16 of its UTF-16
 * code units, spread evenly over the whole string (all of them up to 16), mixed FNV-style,
 * then a murmur3 finaliser so that low and high bits are both well mixed. Bounded work per
 * check whatever the id length (hashing every character of a UUID costs about as much as the
 * rest of the check). Not cryptographic, and it need not be: two ids that collide (say, they
 * differ only in characters not sampled) only send a check on to the exact map.
 */
export function hashString(s: string): number {
  const n = s.length;
  let h = Math.imul(n ^ 0x811c9dc5, 0x01000193);
  if (n <= 16) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  } else {
    // 16 positions from 0 to n - 1 in 16.16 fixed point (n > 16: distinct, and the last
    // included); beyond 32 Ki characters only the first 32 Ki are sampled (no int32 overflow).
    const step = (((Math.min(n, 0x8000) - 1) << 16) / 15) | 0;
    for (let k = 0, at = 0; k < 16; k++, at += step) h = Math.imul(h ^ s.charCodeAt(at >>> 16), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The four bits a hash sets within its word (taken from other bits than the word index). */
function bitsOf(h: number): number {
  const g = Math.imul(h, 0x9e3779b1);
  return (1 << (g >>> 27)) | (1 << ((g >>> 22) & 31)) | (1 << ((g >>> 17) & 31)) | (1 << ((g >>> 12) & 31));
}

/**
 * @internal A blocked Bloom filter (one 32-bit word per key, four bits set in it) in front of
 * one exact map. "Not in the filter" proves the value was never added, so the common case, a
 * token that is not revoked, costs one word read instead of a probe of a map holding up to
 * millions of strings (several dependent cache misses: about 1 µs each at a million entries).
 * "In the filter" only means "maybe": the check then asks the exact map, so the filter can
 * never deny a token by itself (security: no false denials, no missed denials).
 *
 * Removals do not clear bits (a word is shared by several keys): a removed value merely costs
 * a fall-through to the map until the filter is rebuilt, which happens once the insertions
 * since the last build pass its planned capacity (16 bits per entry, twice the entries it was
 * built with: amortised O(1) per add, and below about 1% false positives).
 */
export class DenyFilter {
  readonly #words: Int32Array;
  readonly #mask: number;
  readonly #capacity: number;
  #inserted = 0;

  constructor(entries: number) {
    let size = 64;
    while (size < entries) size *= 2;
    this.#words = new Int32Array(size);
    this.#mask = size - 1;
    this.#capacity = size * 2;
  }

  add(value: string): void {
    const h = hashString(value);
    this.#words[h & this.#mask]! |= bitsOf(h);
    this.#inserted++;
  }

  /** False: `value` was certainly never added. True: maybe; ask the exact map. */
  mayContain(value: string): boolean {
    const h = hashString(value);
    const bits = bitsOf(h);
    return (this.#words[h & this.#mask]! & bits) === bits;
  }

  /** Too many insertions since the build: false positives climb, rebuild from the map. */
  get full(): boolean {
    return this.#inserted > this.#capacity;
  }

  /** A filter of exactly `keys` (the live entries of a map), with room for as many again. */
  static of(keys: Iterable<string>, count: number): DenyFilter {
    const filter = new DenyFilter(count);
    for (const key of keys) filter.add(key);
    return filter;
  }
}

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
  // Pre-filters of the three large kinds (kid entries are few: the map alone is cheap).
  #jtiFilter = new DenyFilter(0);
  #sidFilter = new DenyFilter(0);
  #subFilter = new DenyFilter(0);
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
      if (prev === undefined) {
        this.#sub.set(value, { notBefore, expiresAt });
        this.#subFilter.add(value);
        if (this.#subFilter.full) this.#subFilter = DenyFilter.of(this.#sub.keys(), this.#sub.size);
      } else {
        prev.notBefore = Math.max(prev.notBefore, notBefore);
        prev.expiresAt = Math.max(prev.expiresAt, expiresAt);
      }
      return;
    }
    const map = this.#map(entry.kind);
    const prev = map.get(value);
    if (prev === undefined || prev < expiresAt) map.set(value, expiresAt);
    if (prev === undefined) {
      // The filter must hold every key of its map before the map is asked through it.
      if (entry.kind === 'jti') {
        this.#jtiFilter.add(value);
        if (this.#jtiFilter.full) this.#jtiFilter = DenyFilter.of(map.keys(), map.size);
      } else if (entry.kind === 'sid') {
        this.#sidFilter.add(value);
        if (this.#sidFilter.full) this.#sidFilter = DenyFilter.of(map.keys(), map.size);
      }
    }
  }

  /**
   * Returns the kind of the first entry that denies this token, or `undefined`. Expired
   * entries not yet swept still deny: they can only hit tokens that are expired anyway.
   */
  check(token: RevocationSubject): RevocationKind | undefined {
    const { payload } = token;
    const { jti, sid, sub } = payload;
    // Each kind: the filter first (a miss proves absence), then the exact map.
    if (
      this.#jti.size !== 0 &&
      typeof jti === 'string' &&
      this.#jtiFilter.mayContain(jti) &&
      this.#jti.has(jti)
    )
      return 'jti';
    if (
      this.#sid.size !== 0 &&
      typeof sid === 'string' &&
      this.#sidFilter.mayContain(sid) &&
      this.#sid.has(sid)
    )
      return 'sid';
    if (this.#sub.size !== 0 && typeof sub === 'string' && this.#subFilter.mayContain(sub)) {
      const cut = this.#sub.get(sub);
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
