/** `gatehouse keys list` (rotate and revoke arrive with key rotation). */
import { expectPositionals, parse } from '../args.js';
import { CONFIG_HELP, type Command } from '../command.js';
import { cliConfig, withService } from '../context.js';
import { cell, json, table } from '../format.js';
import { type CliIo, EXIT, UsageError } from '../io.js';

const HELP = `Usage:
  gatehouse keys list [--json]

list     The signing keys in the database: kid, algorithm, status (pending, active,
         retired, revoked), when each was created, starts signing, and leaves the JWKS.
         Private keys are never printed.

${CONFIG_HELP}`;

function help(io: CliIo): number {
  io.stdout(`${HELP}\n`);
  return EXIT.OK;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (values.help) return help(io);
  expectPositionals(positionals, []);
  const keys = await withService(cliConfig(io, values), (s) => s.admin.listKeys());
  if (values.json) io.stdout(json(keys));
  else
    io.stdout(
      table(
        ['kid', 'alg', 'status', 'created', 'activates', 'published until'],
        keys.map((k) => [k.kid, k.alg, k.status, k.createdAt, k.activatesAt, cell(k.publishUntil)]),
      ),
    );
  return EXIT.OK;
}

/** `gatehouse keys ...` */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'list the signing keys',
  help: HELP,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'list') return list(rest, io);
    if (sub === '--help' || sub === '-h' || sub === 'help') return help(io);
    throw new UsageError(sub === undefined ? 'expected list' : `unknown keys command "${sub.slice(0, 40)}"`);
  },
};
