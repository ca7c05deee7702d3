/** Command-line parsing shared by the commands (node:util parseArgs, strict). */
import { parseArgs } from 'node:util';
import { CONFIG_FLAGS } from '../config/variables.js';
import { UsageError } from './io.js';

type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

/** `--port`, `--database-url`, ...: every configuration flag, accepted by each command that reads configuration. */
export const CONFIG_OPTIONS: Record<string, OptionSpec> = Object.fromEntries(
  CONFIG_FLAGS.map((f) => [f, { type: 'string' as const }]),
);

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `args` strictly: an unknown flag or a missing value is a `UsageError` (exit 2).
 *
 * @example
 * ```ts
 * const { values, positionals } = parse(args, { json: { type: 'boolean' } });
 * ```
 */
export function parse(args: string[], options: Record<string, OptionSpec>, withConfig = true): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h' }, ...(withConfig ? CONFIG_OPTIONS : {}), ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

/** The configuration flags present in parsed values, for `loadConfig({ flags })`. */
export function configFlags(values: Parsed['values']): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const f of CONFIG_FLAGS) {
    const v = values[f];
    if (typeof v === 'string') flags[f] = v;
  }
  return flags;
}

/** Exactly `count` positionals, else a UsageError naming what is expected. */
export function expectPositionals(positionals: string[], names: readonly string[]): string[] {
  if (positionals.length !== names.length) {
    throw new UsageError(
      names.length === 0
        ? 'no arguments expected'
        : `expected ${names.map((n) => n.toUpperCase()).join(' ')}`,
    );
  }
  return positionals;
}
