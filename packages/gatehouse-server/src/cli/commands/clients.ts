/** `gatehouse clients add NAME [--json]`, `clients list [--json]`, `clients remove NAME`. */
import { expectPositionals, parse } from '../args.js';
import { CONFIG_HELP, type Command, subcommands } from '../command.js';
import { cliConfig, withService } from '../context.js';
import { json, table } from '../format.js';
import { type CliIo, EXIT } from '../io.js';

const HELP = `Usage:
  gatehouse clients add NAME [--json]
  gatehouse clients list [--json]
  gatehouse clients remove NAME

add      Creates credentials for a resource server (the revocation feed, introspection).
         The secret is printed ONCE and stored only as a hash: keep it now.
         --json prints {"client_id", "client_secret"}.
list     The clients: id, name, created (never a secret).
remove   Deletes a client; its credentials stop working at once.

${CONFIG_HELP}`;

function help(io: CliIo): number {
  io.stdout(`${HELP}\n`);
  return EXIT.OK;
}

async function add(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (values.help) return help(io);
  const [name] = expectPositionals(positionals, ['name']);
  const created = await withService(cliConfig(io, values), (s) => s.clients.add(name!));
  if (values.json) {
    io.stdout(json({ client_id: created.client_id, client_secret: created.client_secret }));
  } else {
    io.stdout(
      `client ${created.name} created\n` +
        `client_id:     ${created.client_id}\n` +
        `client_secret: ${created.client_secret}\n` +
        'The secret is shown only now; store it where the resource server reads it.\n',
    );
  }
  return EXIT.OK;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (values.help) return help(io);
  expectPositionals(positionals, []);
  const clients = await withService(cliConfig(io, values), (s) => s.clients.list());
  if (values.json) io.stdout(json(clients));
  else
    io.stdout(
      table(
        ['client id', 'name', 'created'],
        clients.map((c) => [c.client_id, c.name, c.created_at]),
      ),
    );
  return EXIT.OK;
}

async function remove(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return help(io);
  const [name] = expectPositionals(positionals, ['name']);
  await withService(cliConfig(io, values), (s) => s.clients.remove(name!));
  io.stdout(`removed client ${name}\n`);
  return EXIT.OK;
}

/** `gatehouse clients ...` */
export const clientsCommand: Command = {
  name: 'clients',
  summary: 'resource-server credentials: add, list, remove',
  help: HELP,
  run: subcommands('clients', { add, list, remove }, help),
};
