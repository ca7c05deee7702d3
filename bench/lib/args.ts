/** Tiny command-line parsing shared by the benchmark scripts (`--flag`, `--key value`, `--key=value`). */
import { parseArgs } from 'node:util';

export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string>;
}

/**
 * Parses `argv` against the known boolean flags and string options; anything else stops the
 * script with a one-line error naming the argument.
 */
export function parseBenchArgs(
  argv: readonly string[],
  booleans: readonly string[],
  strings: readonly string[],
  usage: string,
): ParsedArgs {
  const options: Record<string, { type: 'boolean' | 'string' }> = {};
  for (const b of [...booleans, 'help']) options[b] = { type: 'boolean' };
  for (const s of strings) options[s] = { type: 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (parsed.values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (const [k, v] of Object.entries(parsed.values)) {
    if (v === true) flags.add(k);
    else if (typeof v === 'string') values.set(k, v);
  }
  return { flags, values };
}

/** Reads a positive number option, or stops with an error naming it. */
export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive number (got "${raw}")\n`);
    process.exit(2);
  }
  return n;
}

/** Reads a comma-separated list option restricted to `allowed`, or stops naming the bad entry. */
export function listOption<T extends string>(
  args: ParsedArgs,
  name: string,
  allowed: readonly T[],
  fallback: readonly T[],
): T[] {
  const raw = args.values.get(name);
  if (raw === undefined) return [...fallback];
  const out: T[] = [];
  for (const item of raw.split(',').map((s) => s.trim())) {
    const match = allowed.find((a) => a.toLowerCase() === item.toLowerCase());
    if (!match) {
      process.stderr.write(`--${name}: unknown value "${item}" (one of: ${allowed.join(', ')})\n`);
      process.exit(2);
    }
    out.push(match);
  }
  return out;
}

/** Formats a table with a header row; numbers are right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) =>
        /^[\d.,x%-]+( [µm]?s)?$/.test(c) && i > 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Formats a markdown table (for docs/benchmarks.md). */
export function formatMarkdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
