/** Parses `GATEHOUSE_DATABASE_URL` into a backend choice. */
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatehouseError } from 'gatehouse/errors';

export type DatabaseTarget =
  | { backend: 'sqlite'; path: string; readonly: boolean }
  | { backend: 'postgres'; url: string };

/**
 * A plain path, `:memory:`, or a `file:` URL (`file:///abs/path.db`, `file:relative.db`,
 * optionally `?mode=ro`) → SQLite; `postgres://` / `postgresql://` → PostgreSQL. Anything
 * else with a scheme is refused with OPTION_INVALID (the message names no credentials).
 *
 * @example
 * ```ts
 * parseDatabaseUrl('./data/gatehouse.db'); // { backend: 'sqlite', path: './data/gatehouse.db', readonly: false }
 * ```
 */
export function parseDatabaseUrl(databaseUrl: string): DatabaseTarget {
  const value = databaseUrl.trim();
  if (value === '') throw new GatehouseError('OPTION_INVALID', 'GATEHOUSE_DATABASE_URL must not be empty');
  if (/^postgres(ql)?:\/\//i.test(value)) return { backend: 'postgres', url: value };
  if (/^file:/i.test(value)) {
    const q = value.indexOf('?');
    const base = q === -1 ? value : value.slice(0, q);
    const params = new URLSearchParams(q === -1 ? '' : value.slice(q + 1));
    const readonly = params.get('mode') === 'ro';
    let path: string;
    if (/^file:\/\//i.test(base)) {
      try {
        path = fileURLToPath(base);
      } catch (cause) {
        throw new GatehouseError('OPTION_INVALID', 'GATEHOUSE_DATABASE_URL is not a valid file: URL', {
          cause,
        });
      }
    } else {
      path = decodeURIComponent(base.slice('file:'.length));
    }
    if (path === '')
      throw new GatehouseError('OPTION_INVALID', 'GATEHOUSE_DATABASE_URL has an empty file path');
    return { backend: 'sqlite', path, readonly };
  }
  // A URL scheme other than file: (but not a Windows drive letter such as C:\).
  if (/^[a-z][a-z0-9+.-]+:/i.test(value) && !isAbsolute(value)) {
    const scheme = value.slice(0, value.indexOf(':'));
    throw new GatehouseError('OPTION_INVALID', `GATEHOUSE_DATABASE_URL: unsupported scheme "${scheme}"`);
  }
  return { backend: 'sqlite', path: value, readonly: false };
}
