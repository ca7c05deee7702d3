/** `gatehouse sessions list NAME`, `gatehouse sessions revoke ID`. */
import { expectPositionals, parse } from '../args.js';
import { CONFIG_HELP, type Command, subcommands } from '../command.js';
import { cliConfig, withService } from '../context.js';
import { cell, json, table } from '../format.js';
import { type CliIo, EXIT } from '../io.js';

const HELP = `Usage:
  gatehouse sessions list NAME [--json]
  gatehouse sessions revoke ID

list     The live sessions of a user (id, created, last used, expiry, ip, user agent).
revoke   Ends a session at once, its access tokens included.

${CONFIG_HELP}`;

function help(io: CliIo): number {
  io.stdout(`${HELP}\n`);
  return EXIT.OK;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (values.help) return help(io);
  const [name] = expectPositionals(positionals, ['name']);
  const sessions = await withService(cliConfig(io, values), (s) => s.admin.listUserSessions(name!));
  if (values.json) io.stdout(json(sessions));
  else
    io.stdout(
      table(
        ['id', 'created', 'last used', 'expires', 'ip', 'user agent'],
        sessions.map((s) => [s.id, s.createdAt, s.lastUsedAt, s.expiresAt, cell(s.ip), cell(s.userAgent)]),
      ),
    );
  return EXIT.OK;
}

async function revoke(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return help(io);
  const [id] = expectPositionals(positionals, ['id']);
  await withService(cliConfig(io, values), (s) => s.admin.revokeSession(id!, 'cli'));
  io.stdout(`revoked session ${id}\n`);
  return EXIT.OK;
}

/** `gatehouse sessions ...` */
export const sessionsCommand: Command = {
  name: 'sessions',
  summary: "list a user's sessions, revoke one",
  help: HELP,
  run: subcommands('sessions', { list, revoke }, help),
};
