/** A PostgreSQL database for the gatehouse-postgres rows: a given URL, or a throwaway cluster. */

/**
 * Runs `fn` with a database URL: `url` as given, or a fresh database in a throwaway cluster
 * (test/support/postgres.ts: initdb + pg_ctl in a temp folder), stopped afterwards.
 *
 * @example
 * ```ts
 * await withPostgres(undefined, (url) => runGatehouse(settings, machine, dir, log, 'gatehouse-postgres', url));
 * ```
 */
export async function withPostgres<T>(url: string | undefined, fn: (url: string) => Promise<T>): Promise<T> {
  if (url !== undefined) return fn(url);
  // Loaded only when asked for: the cluster helper needs PostgreSQL binaries on the PATH.
  const { startPostgres } = await import('../../packages/gatehouse-server/test/support/postgres.js');
  const server = await startPostgres();
  try {
    return await fn(await server.createDatabase());
  } finally {
    await server.stop();
  }
}
