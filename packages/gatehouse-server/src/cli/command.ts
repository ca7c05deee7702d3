import type { CliIo } from './io.js';

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
