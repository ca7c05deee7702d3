/**
 * The address a per-IP limit is keyed by. IPv4 addresses count one by one; IPv6 addresses
 * are aggregated by /64, because a single customer usually receives a whole /64 and could
 * otherwise rotate through 2^64 addresses to escape the limit. IPv4-mapped IPv6 addresses
 * (`::ffff:192.0.2.1`, what a dual-stack socket reports) count as their IPv4 address.
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Normalises `ip` to its throttling key, or null when it is missing or not an IP address.
 *
 * @example
 * ```ts
 * ipPrefix('203.0.113.7');           // '203.0.113.7'
 * ipPrefix('2001:db8:1:2:3:4:5:6');  // '2001:db8:1:2::/64'
 * ipPrefix('::ffff:203.0.113.7');    // '203.0.113.7'
 * ```
 */
export function ipPrefix(ip: string | null | undefined): string | null {
  if (typeof ip !== 'string' || ip === '') return null;
  if (isIPv4(ip)) return ip;
  const bare = ip.split('%')[0] ?? ''; // zone index (fe80::1%eth0) is not part of the address
  if (!isIPv6(bare)) return null;
  const groups = expandIPv6(bare.toLowerCase());
  if (groups === null) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Eight 16-bit groups (hex strings) of a valid IPv6 address, or null. */
function expandIPv6(ip: string): string[] | null {
  let text = ip;
  // An embedded IPv4 tail becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1] !== undefined) {
    const parts = v4[1].split('.').map(Number);
    const hex = (a = 0, b = 0) => ((a << 8) | b).toString(16);
    text = `${text.slice(0, -v4[1].length)}${hex(parts[0], parts[1])}:${hex(parts[2], parts[3])}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
}

/**
 * The per-IP throttling bucket of a caller: {@link ipPrefix}, or one shared `unparsed` bucket
 * for an address that is present but not an IP (a garbage X-Forwarded-For behind a proxy
 * trusted too widely must not escape the limit); null only when no address is known at all
 * (in-process callers such as the CLI).
 *
 * @example
 * ```ts
 * ipBucket('203.0.113.7'); // '203.0.113.7'
 * ipBucket('not-an-ip');   // 'unparsed'
 * ipBucket(null);          // null
 * ```
 */
export function ipBucket(ip: string | null | undefined): string | null {
  const prefix = ipPrefix(ip);
  if (prefix !== null) return prefix;
  return typeof ip === 'string' && ip !== '' ? 'unparsed' : null;
}
