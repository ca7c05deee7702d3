/** `gatehouse migrate [--json]`: brings the database schema up to date, then exits. */

import { migratePostgres, parseDatabaseUrl } from '../../storage/index.js';
import { createSqliteStore } from '../../storage/sqlite/index.js';
import { expectPositionals, parse } from '../args.js';
import { CONFIG_HELP, type Command } from '../command.js';
import { cliConfig } from '../context.js';
import { json } from '../format.js';
import { EXIT } from '../io.js';

const HELP = `Usage:
  gatehouse migrate [--json]

Applies the pending schema migrations of GATEHOUSE_DATABASE_URL and exits. The server also
migrates at start unless a PostgreSQL URL carries gatehouse_migrate=off (then it refuses to
start on an outdated schema: run this first, e.g. as a deploy step). Safe to run from several
processes at once (they take turns on a lock) and to re-run (nothing to do is not an error).

--json      Print {"backend", "applied"} as JSON (applied: the migration versions).

${CONFIG_HELP}`;

/** `gatehouse migrate` */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending database schema migrations',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } });
    if (values.help) {
      io.stdout(`${HELP}\n`);
      return EXIT.OK;
    }
    expectPositionals(positionals, []);
    const target = parseDatabaseUrl(cliConfig(io, values).databaseUrl);
    let applied: number[];
    if (target.backend === 'postgres') {
      applied = await migratePostgres(target.url);
    } else {
      // SQLite migrates on open (one lock for the whole file): count the versions it added.
      const store = await createSqliteStore({ path: target.path, readonly: target.readonly, migrate: false });
      try {
        const before = versions(store.database);
        if (!target.readonly) await store.migrate();
        applied = versions(store.database).filter((v) => !before.includes(v));
      } finally {
        await store.close();
      }
    }
    if (values.json) io.stdout(json({ backend: target.backend, applied }));
    else if (applied.length === 0) io.stdout('schema up to date: nothing to apply\n');
    else io.stdout(`applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
    return EXIT.OK;
  },
};

function versions(db: import('better-sqlite3').Database): number[] {
  const exists = db
    .prepare("select 1 from sqlite_master where type = 'table' and name = 'gatehouse_migrations'")
    .get();
  if (!exists) return [];
  return (db.prepare('select version from gatehouse_migrations').all() as { version: number }[]).map((r) =>
    Number(r.version),
  );
}
