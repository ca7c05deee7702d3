// Every ```ts example of packages/gatehouse/README.md runs as is (against the sources), and
// each line `console.log(...); // output` prints exactly that output.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { format } from 'node:util';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const entry = new URL('../../src/index.ts', import.meta.url).href;
const blocks = [...readme.matchAll(/^## (.+)\n[\s\S]*?```ts\n([\s\S]*?)```/gm)].map((m) => ({
  title: m[1]!,
  code: m[2]!,
}));
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Expected outputs: `console.log(...); // text` where text is not prose in parentheses. */
function expectedOutputs(code: string): (string | undefined)[] {
  return code
    .split('\n')
    .filter((line) => line.trimStart().startsWith('console.log('))
    .map((line) => {
      const m = /\);\s*\/\/ (.+)$/.exec(line);
      if (m === null) return undefined;
      // "public members only, ..." style comments describe rather than print: skip them.
      return /^(public members|true \(|.+ \(RFC)/.test(m[1]!) ? undefined : m[1]!;
    });
}

describe('README examples', () => {
  assert.ok(blocks.length >= 10, 'the README has its examples');
  blocks.forEach(({ title, code }, i) => {
    it(title, async () => {
      const file = join(dir, `example-${i}.mts`);
      writeFileSync(file, code.replaceAll("from 'gatehouse'", `from '${entry}'`));
      const printed: string[] = [];
      const original = console.log;
      console.log = (...args: unknown[]) => printed.push(format(...args));
      try {
        await import(file);
      } finally {
        console.log = original;
      }
      const expected = expectedOutputs(code);
      assert.equal(printed.length, expected.length, 'one output per console.log');
      expected.forEach((want, j) => {
        if (want !== undefined) assert.equal(printed[j], want);
      });
    });
  });
});
