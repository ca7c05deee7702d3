/** The CLI dispatcher in-process: `--help` everywhere (exit 0) and usage errors (exit 2). */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';

function io(): CliIo & { out: string; err: string } {
  const state = {
    out: '',
    err: '',
    stdout: (t: string) => {
      state.out += t;
    },
    stderr: (t: string) => {
      state.err += t;
    },
    stdin: Readable.from([]),
    // No database is touched by any case here: help and usage errors stop before.
    env: { GATEHOUSE_DATABASE_URL: '/nonexistent/never-opened.db' },
    cwd: '/nonexistent',
  };
  return state;
}

test('--help on every command and subcommand: exit 0 with a Usage section', async () => {
  for (const args of [
    ['--help'],
    ['-h'],
    ['help'],
    ['serve', '--help'],
    ['demo', '--help'],
    ['users', '--help'],
    ['users', 'add', '--help'],
    ['users', 'list', '--help'],
    ['users', 'lock', '--help'],
    ['users', 'unlock', '-h'],
    ['sessions', '--help'],
    ['sessions', 'list', '--help'],
    ['sessions', 'revoke', '--help'],
    ['keys', '--help'],
    ['keys', 'list', '--help'],
    ['token', '--help'],
    ['token', 'decode', '--help'],
    ['token', 'verify', '--help'],
    ['clients', '--help'],
    ['keys', 'help'],
  ]) {
    const s = io();
    const code = await runCli(args, s);
    assert.equal(code, 0, `${args.join(' ')}: ${s.err}`);
    assert.match(s.out, /Usage/, args.join(' '));
  }
});

test('usage errors: exit 2 with one message and a pointer to --help', async () => {
  for (const args of [
    [],
    ['frobnicate'],
    ['users'],
    ['users', 'remove', 'x'],
    ['users', 'add'],
    ['users', 'add', 'a', 'b'],
    ['users', 'add', 'a', '--password', 'secret-in-argv'],
    ['users', 'list', '--limit', 'many'],
    ['users', 'list', '--bogus'],
    ['sessions'],
    ['sessions', 'list'],
    ['sessions', 'revoke'],
    ['keys'],
    ['keys', 'rotate-all'],
    ['keys', 'toString'],
    ['clients'],
    ['clients', 'rotate'],
    ['token'],
    ['token', 'decode'],
    ['token', 'verify'],
    ['serve', 'extra'],
    ['serve', '--port'],
  ]) {
    const s = io();
    const code = await runCli(args, s);
    assert.equal(code, 2, `${args.join(' ')}: ${s.err}`);
    assert.ok(!s.err.includes('secret-in-argv'));
    assert.doesNotMatch(s.err, /\n\s+at /);
  }
});

test('--version prints the package version', async () => {
  const s = io();
  assert.equal(await runCli(['--version'], s), 0);
  assert.match(s.out, /^\d+\.\d+\.\d+/);
});

test('a command group names its subcommands when none is given', async () => {
  for (const [group, expected] of [
    ['keys', 'expected list, rotate or revoke'],
    ['clients', 'expected add, list or remove'],
    ['sessions', 'expected list or revoke'],
    ['token', 'expected decode or verify'],
  ] as const) {
    const s = io();
    assert.equal(await runCli([group], s), 2);
    assert.match(s.err, new RegExp(expected));
  }
  const s = io();
  assert.equal(await runCli(['keys', 'rotate-all'], s), 2);
  assert.match(s.err, /unknown keys command "rotate-all"/);
});
