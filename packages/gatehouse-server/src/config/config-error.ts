import { GatehouseError } from 'gatehouse/errors';

/**
 * A bad or insecure configuration value. The message is ONE line that starts with the
 * variable's name and never contains a secret's value, so the CLI can print it as is.
 *
 * @example
 * ```ts
 * try { loadConfig(); } catch (err) {
 *   if (err instanceof ConfigError) { console.error(err.message); process.exit(1); }
 * }
 * ```
 */
export class ConfigError extends GatehouseError {
  /** The offending variable, e.g. `GATEHOUSE_PORT`. */
  readonly variable: string;

  constructor(variable: string, problem: string) {
    // One line, whatever the caller passed: a multi-line message would break scripts and logs.
    super('OPTION_INVALID', `${variable}: ${problem}`.replace(/[\r\n]+/g, ' '));
    this.variable = variable;
  }
}
