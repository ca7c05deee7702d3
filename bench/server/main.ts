/**
 * `npm run bench:server [-- --quick] [-- --json] [-- --docs] [-- --postgres-url URL]`
 *
 * The auth server under load on 127.0.0.1, beside the seed-style baseline measured in the
 * same run: login, refresh, GET /auth/me and a protected resource-server route at a fixed
 * concurrency, plus an open-loop refresh sweep. Progress goes to stderr; stdout gets a table,
 * or with --json the report ({ machine, rows, sweep }). --docs writes the SVG charts to
 * docs/images/bench-server-*.svg and docs/benchmarks-server.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDocs } from './docs.js';
import { describeMachine } from './machine.js';
import { withPostgres } from './postgres.js';
import type { Report } from './rows.js';
import { settingsFor } from './settings.js';
import { runBaseline, runGatehouse } from './suites.js';
import { formatTable, formatTargets } from './table.js';

const USAGE = `Usage: npm run bench:server -- [--quick] [--json] [--docs] [--postgres | --postgres-url postgres://...]
  --quick          shorter runs, fewer stored sessions (about a minute)
  --json           print the report as JSON ({ machine, rows, sweep }) instead of a table
  --docs           write docs/images/bench-server-*.svg and docs/benchmarks-server.md
  --postgres       add gatehouse-postgres rows on a throwaway cluster (initdb/pg_ctl on the PATH)
  --postgres-url   ... or on this server (a database it may fill)
`;

let values: {
  quick?: boolean;
  json?: boolean;
  docs?: boolean;
  help?: boolean;
  postgres?: boolean;
  'postgres-url'?: string;
};
try {
  ({ values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      json: { type: 'boolean' },
      docs: { type: 'boolean' },
      help: { type: 'boolean' },
      postgres: { type: 'boolean' },
      'postgres-url': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const settings = settingsFor(values.quick === true);
// Seeding is one insert per session: PostgreSQL gets at most 20k so the run stays bounded.
const pgSettings = { ...settings, sessions: Math.min(settings.sessions, 20_000) };
const log = (line: string) => process.stderr.write(`${line}\n`);
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-server-'));
try {
  log(`measuring argon2id (OWASP parameters, ${settings.argon2Samples} verifications)...`);
  const machine = await describeMachine(settings.argon2Samples);
  log(
    `argon2id verify ${machine.argon2.verifyMs} ms → limit ${machine.argon2.limitPerSec}/s on ${machine.cores} cores`,
  );
  const report: Report = { quick: settings.quick, machine, rows: [], sweep: [] };
  for (const suite of [
    () => runBaseline(settings, log),
    () => runGatehouse(settings, machine, dir, log),
    ...(values.postgres || values['postgres-url'] !== undefined
      ? [
          () =>
            withPostgres(values['postgres-url'], (url) =>
              runGatehouse(pgSettings, machine, dir, log, 'gatehouse-postgres', url),
            ),
        ]
      : []),
  ]) {
    const { rows, sweep } = await suite();
    report.rows.push(...rows);
    report.sweep.push(...sweep);
  }
  if (values.docs) await writeDocs(report, log);
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${formatTable(report)}\n\n${formatTargets(report).join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
