#!/usr/bin/env node
// Runs every *.test.ts under packages/*/test, test/ and examples/ with node:test and tsx.
// Node 20's `node --test` does not expand globs, so the file list is built here.
// Extra arguments are passed to node (e.g. `npm test -- --test-name-pattern=rotation`);
// a path argument ending in .test.ts narrows the run to those files.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = ['packages/gatehouse/test', 'packages/gatehouse-server/test', 'test', 'examples'];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const args = process.argv.slice(2);
const explicit = args.filter((a) => a.endsWith('.test.ts'));
const nodeArgs = args.filter((a) => !a.endsWith('.test.ts'));
const files = explicit.length
  ? explicit
  : roots
      .filter((r) => existsSync(join(root, r)))
      .flatMap((r) => walk(join(root, r), []))
      .sort();

if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeArgs, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
