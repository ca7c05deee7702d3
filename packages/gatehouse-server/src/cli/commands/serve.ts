/** `gatehouse serve`: the auth server. */

import { VARIABLES } from '../../config/variables.js';
import { createAuthServer } from '../../http/server.js';
import { closeOnSignals } from '../../http/shutdown.js';
import { expectPositionals, parse } from '../args.js';
import type { Command } from '../command.js';
import { cliConfig } from '../context.js';
import { type CliIo, EXIT } from '../io.js';

const HELP = `Usage:
  gatehouse serve [--port N] [--host H] [--database-url URL] [...]

Starts the auth server (embedded SQLite at ./data/gatehouse.db unless a database URL is
given; the database and the signing keys are created on first start). SIGTERM or SIGINT
stops it gracefully: no new requests, in-flight ones finish, the database is closed.
Logs are JSON lines on standard output.

Configuration (flag, environment variable, default):
${VARIABLES.map((v) => `  ${(v.flag === null ? '(env only)' : `--${v.flag}`).padEnd(24)} ${v.name.padEnd(34)} ${v.default ?? '-'}`).join('\n')}

Precedence: flags, then the environment, then a .env file in the working directory.`;

/** `gatehouse serve` */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the auth server',
  help: HELP,
  async run(args: string[], io: CliIo) {
    const { values, positionals } = parse(args, {});
    if (values.help) {
      io.stdout(`${HELP}\n`);
      return EXIT.OK;
    }
    expectPositionals(positionals, []);
    const config = cliConfig(io, values);
    const server = await createAuthServer(config);
    let address: string;
    try {
      address = await server.listen();
    } catch (err) {
      await server.close().catch(() => {});
      throw err;
    }
    io.stderr(`gatehouse listening on ${address} (issuer ${config.issuer}, algorithm ${config.alg})\n`);
    // Resolves when a signal has stopped the server; the process exits with its status.
    return new Promise<number>((resolve) => {
      const remove = closeOnSignals(server, {
        log: (m) => io.stderr(`gatehouse: ${m}\n`),
        exit: (code) => {
          remove();
          resolve(code);
        },
      });
    });
  },
};
