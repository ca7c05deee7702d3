/** `gatehouse purge [--dry-run] [--json]`: one housekeeping pass, for cron. */
import { expectPositionals, parse } from '../args.js';
import { CONFIG_HELP, type Command } from '../command.js';
import { cliConfig, withService } from '../context.js';
import { json, table } from '../format.js';
import { EXIT } from '../io.js';

const HELP = `Usage:
  gatehouse purge [--dry-run] [--json]

Deletes what can no longer matter: sessions ended or expired more than 7 days ago with their
refresh-token generations, revocation entries past their expiry, expired throttling counters,
and signing keys past their publication. Never an entry that can still hit a live token.
The running server does the same a minute after start and every 10 minutes; this is for
cron or a one-off.

--dry-run   Only print the row counts per table; delete nothing.
--json      Print {"before", "after", "deleted"} as JSON.

${CONFIG_HELP}`;

/** `gatehouse purge` */
export const purgeCommand: Command = {
  name: 'purge',
  summary: 'delete expired sessions, refresh tokens and revocation entries',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parse(args, {
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(`${HELP}\n`);
      return EXIT.OK;
    }
    expectPositionals(positionals, []);
    const dryRun = values['dry-run'] === true;
    const report = await withService(cliConfig(io, values), (s) => s.purge({ dryRun }));
    if (values.json) {
      io.stdout(json(report));
      return EXIT.OK;
    }
    const tables = Object.keys(report.before).sort();
    io.stdout(
      table(
        ['table', 'rows before', 'rows after'],
        tables.map((t) => [t, String(report.before[t] ?? 0), String(report.after[t] ?? 0)]),
      ),
    );
    if (report.deleted === null) io.stdout('dry run: nothing deleted\n');
    else {
      const d = report.deleted;
      io.stdout(
        `deleted: ${d.sessions} sessions, ${d.refreshTokens} refresh tokens, ${d.revocations} revocation entries, ` +
          `${d.attempts} counters, ${d.keys} keys\n`,
      );
    }
    return EXIT.OK;
  },
};
