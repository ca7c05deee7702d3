/**
 * `pg` error → `SERVICE_UNAVAILABLE`. Connection failures (the socket-level codes), server
 * shutdown, "too many connections", lock and serialisation conflicts and a read-only standby
 * all mean "the database cannot be used right now"; constraint violations and SQL bugs do not
 * and are rethrown unchanged. The driver's message (which can name hosts and databases) is
 * kept only as `cause`.
 */
import { GatehouseError } from 'gatehouse/errors';

/** Socket-level errors of the connection: the server is down, unreachable or restarting. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** SQLSTATE (exact) → seconds a client should wait before retrying. */
const SQLSTATE: Readonly<Record<string, number>> = {
  '57P01': 5, // admin_shutdown
  '57P02': 5, // crash_shutdown
  '57P03': 5, // cannot_connect_now (starting up, recovery)
  '53300': 2, // too_many_connections
  '53100': 5, // disk_full
  '53200': 2, // out_of_memory
  '40001': 1, // serialization_failure
  '40P01': 1, // deadlock_detected
  '55P03': 1, // lock_not_available
  '25006': 5, // read_only_sql_transaction (connected to a standby)
};

/** Messages of errors `pg` raises itself, without a code, when the connection is gone. */
const GONE = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

function unavailable(retryAfter: number, reason: string, cause: unknown): GatehouseError {
  return new GatehouseError('SERVICE_UNAVAILABLE', 'Storage unavailable', { retryAfter, reason, cause });
}

/**
 * Returns the `SERVICE_UNAVAILABLE` error for a driver error that means "the database cannot be
 * used right now", or `null`.
 *
 * @example
 * ```ts
 * try { await pool.query('select 1'); } catch (err) { throw mapPostgresError(err) ?? err; }
 * ```
 */
export function mapPostgresError(err: unknown): GatehouseError | null {
  if (!(err instanceof Error)) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK.has(code)) return unavailable(5, 'connection', err);
    const retryAfter = SQLSTATE[code];
    if (retryAfter !== undefined) return unavailable(retryAfter, `sqlstate_${code.toLowerCase()}`, err);
    // Class 08: connection exceptions (08000, 08003, 08006, 08001, 08004...).
    if (/^08[0-9A-Z]{3}$/.test(code)) return unavailable(5, 'connection', err);
  }
  // An AggregateError (several addresses refused) carries the codes on its members.
  if (err instanceof AggregateError && err.errors.some((e) => mapPostgresError(e) !== null)) {
    return unavailable(5, 'connection', err);
  }
  if (GONE.some((m) => err.message.includes(m))) return unavailable(5, 'connection', err);
  return null;
}
