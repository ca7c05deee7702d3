// The error catalogue is data (STYLE.md habit 2): src/errors.ts, docs/errors.md and the codes
// named in the public contract must agree.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CODES, ERRORS, GatehouseError, isGatehouseError, toProblem } from '../src/errors.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const doc = readFileSync(`${repo}docs/errors.md`, 'utf8');

interface Row {
  code: string;
  status: number;
  title: string;
  meaning: string;
}

const rows: Row[] = [];
for (const line of doc.split('\n')) {
  // Cells are trimmed: the formatter pads the table.
  const cells = line.split('|').map((c) => c.trim());
  const code = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[1] ?? '');
  if (code === null || cells.length !== 6) continue;
  rows.push({ code: code[1]!, status: Number(cells[2]), title: cells[3]!, meaning: cells[4]! });
}

/** Upper-snake codes inside backtick spans of the contract, minus the GATEHOUSE_* variables. */
function contractCodes(text: string): Set<string> {
  const codes = new Set<string>();
  for (const span of text.matchAll(/`([^`]+)`/g)) {
    for (const m of span[1]!.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) {
      if (!m[0].startsWith('GATEHOUSE_')) codes.add(m[0]);
    }
  }
  return codes;
}

// docs/CONTRACT.md is the committed copy of the public contract; GATEHOUSE_CONTRACT may point
// at another copy (e.g. the workspace's ../shared/CONTRACT.md) to check it instead.
const contractPath = process.env.GATEHOUSE_CONTRACT ?? `${repo}docs/CONTRACT.md`;

describe('error catalogue', () => {
  it('docs/errors.md has one row per code of src/errors.ts, with the same status and title', () => {
    const documented = rows.map((r) => r.code);
    assert.deepEqual([...documented].sort(), Object.keys(ERRORS).sort());
    assert.equal(new Set(documented).size, documented.length, 'no code documented twice');
    for (const row of rows) {
      const entry = ERRORS[row.code as keyof typeof ERRORS];
      assert.equal(row.status, entry.status, `${row.code} status`);
      assert.equal(row.title, entry.title, `${row.code} title`);
      assert.ok(row.meaning.length > 10, `${row.code} has a meaning`);
    }
  });

  it('every code named in the contract is in the catalogue', () => {
    const named = contractCodes(readFileSync(contractPath, 'utf8'));
    assert.ok(named.size >= 10, 'the contract names its codes');
    const missing = [...named].filter((c) => !Object.hasOwn(ERRORS, c));
    assert.deepEqual(missing, []);
  });

  it('extracts codes from backtick spans only', () => {
    assert.deepEqual(
      [
        ...contractCodes(
          'a `429 TOO_MANY_ATTEMPTS` b `GATEHOUSE_PORT` NOT_IN_TICKS `x` `error="insufficient_scope"`',
        ),
      ],
      ['TOO_MANY_ATTEMPTS'],
    );
  });

  it('CODES mirrors ERRORS, and errors carry code and status', () => {
    for (const code of Object.keys(ERRORS)) assert.equal(CODES[code as keyof typeof CODES], code);
    const err = new GatehouseError('CLAIM_INVALID', undefined, { claim: 'aud', reason: 'mismatch' });
    assert.equal(err.status, 401);
    assert.equal(err.message, 'Invalid claim');
    assert.ok(isGatehouseError(err));
    assert.deepEqual(toProblem(err), {
      type: 'https://gatehouse.dev/errors#CLAIM_INVALID',
      title: 'Invalid claim',
      status: 401,
      code: 'CLAIM_INVALID',
      detail: 'Invalid claim',
      claim: 'aud',
    });
    assert.equal(toProblem(new Error('db password=x')).detail.includes('password'), false);
  });
});
