/**
 * SVG charts of a report, drawn by vega-lite + vega in Node (the 'none' renderer: no canvas
 * needed), from the same JSON that `--json` prints.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Report } from './rows.js';

function label(row: { op: string; framework: string }): string {
  return row.op === 'protected' ? `protected (${row.framework})` : row.op;
}

function machineLine(report: Report): string {
  const m = report.machine;
  return `${m.cpu}, ${m.cores} cores, Node ${m.node.replace(/^v/, '')}, ${m.date.slice(0, 10)}${report.quick ? ' (quick run)' : ''}`;
}

/** Renders a vega-lite spec to an SVG string. */
async function render(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

function grouped(report: Report, field: 'reqPerSec' | 'p99Ms', title: string, axis: string): TopLevelSpec {
  const data = report.rows.map((r) => ({ group: label(r), system: r.system, value: r[field] }));
  // One panel per operation with its own y scale: login (tens/s) and a protected route
  // (thousands/s) do not share an axis readably.
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: machineLine(report) },
    data: { values: data },
    facet: { column: { field: 'group', type: 'nominal', title: null, header: { labelFontSize: 12 } } },
    spec: {
      width: 90,
      height: 220,
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'system', type: 'nominal', title: null, axis: { labels: false, ticks: false } },
            y: { field: 'value', type: 'quantitative', title: axis },
            color: { field: 'system', type: 'nominal', title: 'system' },
          },
        },
        {
          mark: { type: 'text', dy: -6, fontSize: 10 },
          encoding: {
            x: { field: 'system', type: 'nominal' },
            y: { field: 'value', type: 'quantitative' },
            text: { field: 'value', type: 'quantitative', format: ',.0f' },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config: { font: 'sans-serif' },
  };
}

function sweepSpec(report: Report): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Refresh: p99 latency at an offered rate (open loop)', subtitle: machineLine(report) },
    data: { values: report.sweep },
    width: 420,
    height: 260,
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'offeredPerSec', type: 'quantitative', title: 'offered refreshes/s' },
      y: { field: 'p99Ms', type: 'quantitative', title: 'p99 latency (ms)' },
      color: { field: 'system', type: 'nominal', title: 'system' },
    },
    config: { font: 'sans-serif' },
  };
}

/**
 * The charts of a report: file name (under docs/images/) → SVG text.
 *
 * @example
 * ```ts
 * for (const [name, svg] of await renderCharts(report)) writeFileSync(`docs/images/${name}`, svg);
 * ```
 */
export async function renderCharts(report: Report): Promise<Map<string, string>> {
  const charts = new Map<string, string>();
  charts.set(
    'bench-server-throughput.svg',
    await render(
      grouped(
        report,
        'reqPerSec',
        'Throughput at fixed concurrency (2xx/s; own scale per panel)',
        'successful requests/s',
      ),
    ),
  );
  charts.set(
    'bench-server-p99.svg',
    await render(grouped(report, 'p99Ms', 'p99 latency at fixed concurrency', 'p99 (ms)')),
  );
  if (report.sweep.length > 0) charts.set('bench-server-sweep.svg', await render(sweepSpec(report)));
  return charts;
}
