import { type CliIo, UsageError } from './io.js';

/** A top-level command of the `gatehouse` CLI. */
export interface Command {
  name: string;
  /** One line for the main help. */
  summary: string;
  /** Full help text, printed by `gatehouse NAME --help`. */
  help: string;
  /** Resolves to the exit status; throws UsageError (2) or any error (1). */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Help lines about the configuration flags, shared by the commands that read configuration. */
export const CONFIG_HELP =
  'Configuration: GATEHOUSE_* environment variables, a .env file in the working directory, and\n' +
  'flags such as --database-url PATH or --alg ES256 (flags win); see docs/configuration.md.';

/** A subcommand's handler: the arguments after its name. */
export type Subcommand = (args: string[], io: CliIo) => Promise<number> | number;

/**
 * The `run` of a command group (`gatehouse keys list|rotate|revoke`): dispatches on the first
 * argument; `--help`/`-h`/`help` prints the group's help; anything else is a UsageError (2).
 *
 * @example
 * ```ts
 * run: subcommands('keys', { list, rotate, revoke }, help),
 * ```
 */
export function subcommands(
  group: string,
  handlers: Record<string, Subcommand>,
  help: (io: CliIo) => number,
): Command['run'] {
  const names = Object.keys(handlers);
  const expected =
    names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : (names[0] ?? '');
  return async (args, io) => {
    const [sub, ...rest] = args;
    if (sub !== undefined && Object.hasOwn(handlers, sub)) return handlers[sub]!(rest, io);
    if (sub === '--help' || sub === '-h' || sub === 'help') return help(io);
    throw new UsageError(
      sub === undefined ? `expected ${expected}` : `unknown ${group} command "${sub.slice(0, 40)}"`,
    );
  };
}
