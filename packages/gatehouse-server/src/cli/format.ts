/** Plain-text tables for the CLI (and `--json` for scripts). */

/**
 * Formats rows as aligned columns under upper-case headers.
 *
 * @example
 * ```ts
 * io.stdout(table(['kid', 'alg'], [['abc', 'ES256']]));
 * ```
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n')}\n`;
}

/** Pretty JSON with a final newline. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A cell that is shown as `-` when absent; control characters become spaces. */
export function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: user agents may hold terminal escapes
  return String(value).replace(/[\u0000-\u001f\u007f]/g, ' ');
}
