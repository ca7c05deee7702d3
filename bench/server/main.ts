/**
 * `npm run bench:server [-- --quick] [-- --json] [-- --docs] [-- --postgres-url URL]`
 *
 * The auth server under load on 127.0.0.1, beside the seed-style baseline measured in the
 * same run: login, refresh, GET /auth/me and a protected resource-server route at a fixed
 * concurrency, plus an open-loop refresh sweep. Progress goes to stderr; stdout gets a table,
 * or with --json the report ({ machine, rows, sweep }). --docs writes the SVG charts to
 * docs/images/bench-server-*.svg and docs/benchmarks-server.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  --quick          shorter runs, fewer stored sessions (about 1.5 minutes)
  --json           print the report as JSON ({ machine, rows, sweep }) instead of a table
  --docs           write docs/images/bench-server-*.svg and docs/benchmarks-server.md
  --postgres       add gatehouse-postgres rows on a throwaway cluster (initdb/pg_ctl on the PATH)
  --postgres-url   ... or on this server (a database it may fill)
  --hash-concurrency N   the auth server's argon2 maxConcurrent (default: the server's own)
  --from-json FILE       no run: the table (and with --docs the charts and page) from a saved --json report
`;

let values: {
  quick?: boolean;
  json?: boolean;
  docs?: boolean;
  help?: boolean;
  postgres?: boolean;
  'postgres-url'?: string;
  'hash-concurrency'?: string;
  'from-json'?: string;
};
try {
  ({ values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      json: { type: 'boolean' },
      docs: { type: 'boolean' },
      help: { type: 'boolean' },
      postgres: { type: 'boolean' },
      'hash-concurrency': { type: 'string' },
      'from-json': { type: 'string' },
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

if (values['from-json'] !== undefined) {
  const saved = JSON.parse(readFileSync(values['from-json'], 'utf8')) as Report;
  if (values.docs) await writeDocs(saved, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${formatTable(saved)}\n\n${formatTargets(saved).join('\n')}\n`);
  process.exit(0);
}

const settings = settingsFor(values.quick === true);
if (values['hash-concurrency'] !== undefined) {
  const n = Number(values['hash-concurrency']);
  if (!Number.isSafeInteger(n) || n < 1) {
    process.stderr.write(`--hash-concurrency must be a positive integer\n${USAGE}`);
    process.exit(2);
  }
  settings.hashConcurrency = n;
}
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
