/** Durations as people write them in configuration: `30s`, `15m`, `2h`, `7 days`, `1 week`, `90`. */
import { GatehouseError } from '../errors.js';

const UNITS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    s: 1,
    sec: 1,
    secs: 1,
    second: 1,
    seconds: 1,
    m: 60,
    min: 60,
    mins: 60,
    minute: 60,
    minutes: 60,
    h: 3600,
    hr: 3600,
    hrs: 3600,
    hour: 3600,
    hours: 3600,
    d: 86400,
    day: 86400,
    days: 86400,
    w: 604800,
    week: 604800,
    weeks: 604800,
  }),
);

// One number (integer or decimal), optional spaces, an optional unit. Nothing else.
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;

function fail(input: unknown): GatehouseError {
  // Name the input (configuration, never a secret), shortened so a pasted blob stays readable.
  const shown = JSON.stringify(String(input).slice(0, 40));
  return new GatehouseError(
    'DURATION_INVALID',
    `Invalid duration ${shown}: use seconds or e.g. "30s", "15m", "7 days"`,
  );
}

/**
 * Parses a duration into whole seconds. Numbers are seconds; strings are a number with an
 * optional unit (`s`, `m`, `h`, `d`, `w` and their long forms, singular or plural). `0` is
 * allowed. Negative, fractional seconds, NaN and unknown units throw `DURATION_INVALID`
 * naming the input.
 *
 * @example
 * ```ts
 * import { parseDuration } from 'gatehouse';
 * parseDuration('15m'); // 900
 * parseDuration('7 days'); // 604800
 * parseDuration(90); // 90
 * ```
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input) || input < 0) throw fail(input);
    return input;
  }
  if (typeof input !== 'string') throw fail(input);
  const match = PATTERN.exec(input);
  if (match === null) throw fail(input);
  const unitName = match[2]!.toLowerCase();
  const unit = unitName === '' ? 1 : UNITS.get(unitName);
  if (unit === undefined) throw fail(input);
  const seconds = Number(match[1]) * unit;
  const rounded = Math.round(seconds);
  // '1.5h' is 5400 s; '0.3s' is not a whole number of seconds and is refused.
  if (!Number.isSafeInteger(rounded) || Math.abs(seconds - rounded) > 1e-9) throw fail(input);
  return rounded;
}
