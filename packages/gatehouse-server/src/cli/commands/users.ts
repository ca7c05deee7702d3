/** `gatehouse users add|list|lock|unlock`. */
import { GatehouseError } from 'gatehouse/errors';
import { expectPositionals, parse } from '../args.js';
import { CONFIG_HELP, type Command } from '../command.js';
import { cliConfig, withService } from '../context.js';
import { cell, json, table } from '../format.js';
import { type CliIo, EXIT, promptHidden, readStdin, stripNewline, UsageError } from '../io.js';

const HELP = `Usage:
  gatehouse users add NAME [--role ROLE]... [--password-stdin]
  gatehouse users list [--json] [--limit N] [--after KEY] [--filter TEXT]
  gatehouse users lock NAME
  gatehouse users unlock NAME

add      Creates a user. The password is never taken as an argument (shell history):
         with --password-stdin, or when standard input is not a terminal, it is read from
         standard input (one line); on a terminal it is prompted for twice, without echo.
list     Lists users (username, id, roles, locked).
lock     Locks a user: every session ends and new logins are refused.
unlock   Unlocks a user.

${CONFIG_HELP}`;

/** Longest password accepted on stdin before giving up (the contract's limit is 1024 bytes). */
const MAX_STDIN = 64 * 1024;

async function readPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  if (fromStdin || !io.stdin.isTTY) {
    const password = stripNewline(await readStdin(io, MAX_STDIN));
    if (/[\r\n]/.test(password)) throw new UsageError('the password on standard input must be a single line');
    return password;
  }
  const first = await promptHidden(io, 'Password: ');
  const second = await promptHidden(io, 'Repeat password: ');
  if (first !== second) throw new GatehouseError('VALIDATION_FAILED', 'The passwords do not match');
  return first;
}

async function add(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    role: { type: 'string', multiple: true },
    'password-stdin': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return help(io);
  const [name] = expectPositionals(positionals, ['name']);
  const config = cliConfig(io, values);
  const roles = (values.role as string[] | undefined) ?? [];
  const password = await readPassword(io, values['password-stdin'] === true);
  const user = await withService(config, (s) => s.admin.createUser({ username: name!, password, roles }));
  io.stdout(
    values.json
      ? json(user)
      : `created user ${user.username} (id ${user.id}${user.roles.length ? `, roles ${user.roles.join(',')}` : ''})\n`,
  );
  return EXIT.OK;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean' },
    limit: { type: 'string' },
    after: { type: 'string' },
    filter: { type: 'string' },
  });
  if (values.help) return help(io);
  expectPositionals(positionals, []);
  const limitRaw = (values.limit as string | undefined) ?? '1000';
  if (!/^\d{1,6}$/.test(limitRaw) || Number(limitRaw) < 1)
    throw new UsageError('--limit must be a positive integer');
  const config = cliConfig(io, values);
  const opts: { limit: number; after?: string; filter?: string } = { limit: Number(limitRaw) };
  if (typeof values.after === 'string') opts.after = values.after;
  if (typeof values.filter === 'string') opts.filter = values.filter;
  const users = await withService(config, (s) => s.admin.listUsers(opts));
  if (values.json) {
    io.stdout(json(users));
  } else {
    io.stdout(
      table(
        ['username', 'id', 'roles', 'locked', 'sessions', 'created'],
        users.map((u) => [
          cell(u.username),
          u.id,
          cell(u.roles.join(',')),
          u.locked ? 'yes' : 'no',
          cell(u.activeSessions),
          u.createdAt,
        ]),
      ),
    );
  }
  return EXIT.OK;
}

async function setLocked(args: string[], io: CliIo, locked: boolean): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return help(io);
  const [name] = expectPositionals(positionals, ['name']);
  const config = cliConfig(io, values);
  await withService(config, (s) =>
    locked ? s.admin.lockUser(name!, 'cli') : s.admin.unlockUser(name!, 'cli'),
  );
  io.stdout(`${locked ? 'locked' : 'unlocked'} ${name}\n`);
  return EXIT.OK;
}

function help(io: CliIo): number {
  io.stdout(`${HELP}\n`);
  return EXIT.OK;
}

/** `gatehouse users ...` */
export const usersCommand: Command = {
  name: 'users',
  summary: 'add, list, lock and unlock users',
  help: HELP,
  async run(args, io) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'add':
        return add(rest, io);
      case 'list':
        return list(rest, io);
      case 'lock':
        return setLocked(rest, io, true);
      case 'unlock':
        return setLocked(rest, io, false);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        return sub === undefined
          ? Promise.reject(new UsageError('expected add, list, lock or unlock'))
          : help(io);
      default:
        throw new UsageError(`unknown users command "${sub.slice(0, 40)}"`);
    }
  },
};
