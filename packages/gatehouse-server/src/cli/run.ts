/**
 * The CLI dispatcher: picks the command, maps errors to exit statuses (0 ok, 1 error,
 * 2 usage) and prints every error as one line on stderr, without a stack trace.
 */
import { isGatehouseError } from 'gatehouse/errors';
import { ConfigError } from '../config/config-error.js';
import { VERSION } from '../version.js';
import type { Command } from './command.js';
import { auditCommand } from './commands/audit.js';
import { clientsCommand } from './commands/clients.js';
import { demoCommand } from './commands/demo.js';
import { keysCommand } from './commands/keys.js';
import { migrateCommand } from './commands/migrate.js';
import { purgeCommand } from './commands/purge.js';
import { serveCommand } from './commands/serve.js';
import { sessionsCommand } from './commands/sessions.js';
import { tokenCommand } from './commands/token.js';
import { usersCommand } from './commands/users.js';
import { type CliIo, EXIT, UsageError } from './io.js';

/** Every top-level command, in help order. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  demoCommand,
  usersCommand,
  sessionsCommand,
  keysCommand,
  clientsCommand,
  purgeCommand,
  migrateCommand,
  auditCommand,
  tokenCommand,
];

/** The main help text. */
export function mainHelp(): string {
  return `gatehouse ${VERSION}: JWT authentication server and tools

Usage: gatehouse COMMAND [...] [--help]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run gatehouse COMMAND --help for a command's options.
Exit status: 0 ok, 1 error, 2 usage error.
`;
}

function oneLine(text: string): string {
  return text.split(/\r?\n/)[0]!.slice(0, 500);
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and resolves to the exit status.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 * ```
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(mainHelp());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (command === undefined) throw new UsageError(`unknown command "${oneLine(name).slice(0, 40)}"`);
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`gatehouse: ${oneLine(err.message)}\n`);
      io.stderr(`Run gatehouse ${command ? `${command.name} ` : ''}--help for usage.\n`);
      return EXIT.USAGE;
    }
    if (err instanceof ConfigError) {
      // The message names the variable and never holds a secret's value (config/parsers.ts).
      io.stderr(`${err.message}\n`);
      return EXIT.ERROR;
    }
    if (isGatehouseError(err)) {
      io.stderr(`gatehouse: ${err.code}: ${oneLine(err.message)}\n`);
      return EXIT.ERROR;
    }
    const e = err as NodeJS.ErrnoException;
    // Unexpected failure (port in use, disk full...): one line, no stack trace.
    io.stderr(`gatehouse: ${e?.code ? `${e.code}: ` : ''}${oneLine(e?.message ?? String(err))}\n`);
    return EXIT.ERROR;
  }
}
