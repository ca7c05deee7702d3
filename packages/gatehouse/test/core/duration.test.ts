import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatehouseError, parseDuration } from '../../src/index.js';

describe('parseDuration', () => {
  const valid: [string | number, number][] = [
    [0, 0],
    [90, 90],
    ['0', 0],
    ['90', 90],
    ['30s', 30],
    ['30 seconds', 30],
    ['1 second', 1],
    ['15m', 900],
    ['15 min', 900],
    ['15 minutes', 900],
    ['2h', 7200],
    ['2 hours', 7200],
    ['1.5h', 5400],
    ['7d', 604800],
    ['7 days', 604800],
    ['1 day', 86400],
    ['30d', 2592000],
    ['1w', 604800],
    ['1 week', 604800],
    ['2 weeks', 1209600],
    ['  10s  ', 10],
    ['10S', 10],
  ];
  for (const [input, seconds] of valid) {
    it(`${JSON.stringify(input)} is ${seconds} s`, () => {
      assert.equal(parseDuration(input), seconds);
    });
  }

  const invalid: unknown[] = [
    '',
    ' ',
    '-5',
    '-5s',
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '15 parsecs',
    '1.5.2m',
    '0.3s',
    '1e3',
    '10 s s',
    's',
    '5 constructor',
    '5 __proto__',
    '0x10',
    '１０s',
    '9'.repeat(30),
    null,
    undefined,
    {},
  ];
  for (const input of invalid) {
    it(`refuses ${typeof input === 'number' ? String(input) : JSON.stringify(input)} with DURATION_INVALID`, () => {
      assert.throws(
        () => parseDuration(input as string),
        (err: unknown) => err instanceof GatehouseError && err.code === 'DURATION_INVALID',
      );
    });
  }

  it('names the input in the message', () => {
    assert.throws(() => parseDuration('15 parsecs'), { code: 'DURATION_INVALID', message: /"15 parsecs"/ });
  });
});
