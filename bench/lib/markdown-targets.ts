/** The targets block of a `--markdown` report: a summary, the failures, then every target folded. */
import { formatMarkdown } from './args.js';

export interface TargetLine {
  pass: boolean;
  label: string;
  detail: string;
}

/**
 * Formats target results for docs/benchmarks.md.
 *
 * @example
 * ```ts
 * markdownTargets([{ pass: true, label: 'ES256 verify within 1.1x of the floor', detail: '1.04x' }]);
 * ```
 */
export function markdownTargets(targets: readonly TargetLine[]): string {
  const failed = targets.filter((t) => !t.pass);
  const row = (t: TargetLine) => [t.pass ? 'PASS' : 'FAIL', t.label, t.detail];
  const lines = [`Targets: ${targets.length - failed.length} passed, ${failed.length} failed.`, ''];
  if (failed.length > 0) lines.push(formatMarkdown(['result', 'target', 'measured'], failed.map(row)), '');
  lines.push(
    '<details><summary>All targets</summary>',
    '',
    formatMarkdown(['result', 'target', 'measured'], targets.map(row)),
    '',
    '</details>',
  );
  return lines.join('\n');
}
