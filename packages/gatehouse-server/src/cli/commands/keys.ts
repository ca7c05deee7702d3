/** `gatehouse keys list`, `keys rotate`, `keys revoke KID`. */
import { expectPositionals, parse } from '../args.js';
import { CONFIG_HELP, type Command, subcommands } from '../command.js';
import { cliConfig, withService } from '../context.js';
import { cell, json, table } from '../format.js';
import { type CliIo, EXIT } from '../io.js';

const HELP = `Usage:
  gatehouse keys list [--json]
  gatehouse keys rotate [--json]
  gatehouse keys revoke KID

list     The signing keys in the database: kid, algorithm, status (pending, active,
         retired, revoked), when each was created, starts signing, and leaves the JWKS.
         Private keys are never printed.
rotate   Publishes a new key in the JWKS at once; it starts signing after
         GATEHOUSE_KEY_PROPAGATION. The current key then retires and stays published until
         every token it signed has expired. Running servers pick the change up within 5 s.
revoke   For a leaked key: out of the JWKS at once, and every token it signed is refused, by
         this server and by resource servers (through the revocation feed). A new key is
         generated when it was the one signing.

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

async function rotate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (values.help) return help(io);
  expectPositionals(positionals, []);
  const key = await withService(cliConfig(io, values), (s) => s.admin.rotateKey('cli'));
  if (values.json) io.stdout(json(key));
  else io.stdout(`new key ${key.kid} (${key.alg}) published; it signs from ${key.activatesAt}\n`);
  return EXIT.OK;
}

async function revoke(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return help(io);
  const [kid] = expectPositionals(positionals, ['kid']);
  await withService(cliConfig(io, values), (s) => s.admin.revokeKey(kid!, 'cli'));
  io.stdout(`revoked key ${kid}: out of the JWKS, its tokens refused\n`);
  return EXIT.OK;
}

/** `gatehouse keys ...` */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'list, rotate or revoke the signing keys',
  help: HELP,
  run: subcommands('keys', { list, rotate, revoke }, help),
};
