/** Password input: hidden prompt on a terminal (raw mode, no echo), stdin otherwise. */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { type CliIo, promptHidden, readStdin, stripNewline, UsageError } from '../../src/cli/io.js';

function fakeTerminal() {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    rawModes: [] as boolean[],
    setRawMode(raw: boolean) {
      stdin.rawModes.push(raw);
      return stdin;
    },
  });
  const screen: string[] = [];
  const io: CliIo = {
    stdout: (t) => screen.push(t),
    stderr: (t) => screen.push(t),
    stdin,
    env: {},
    cwd: '/',
  };
  return { io, stdin, screen };
}

test('promptHidden reads one line in raw mode, handles backspace, and never echoes', async () => {
  const { io, stdin, screen } = fakeTerminal();
  const answer = promptHidden(io, 'Password: ');
  stdin.write('hunter22x');
  stdin.write('\u007f');
  stdin.write('2 and more\r');
  assert.equal(await answer, 'hunter222 and more');
  assert.deepEqual(stdin.rawModes, [true, false], 'raw mode on, then restored');
  assert.equal(screen.join(''), 'Password: \n', 'nothing typed is shown');
});

test('promptHidden: Ctrl-C cancels with a usage error and restores the terminal', async () => {
  const { io, stdin } = fakeTerminal();
  const answer = promptHidden(io, 'Password: ');
  stdin.write('abc\u0003');
  await assert.rejects(answer, UsageError);
  assert.deepEqual(stdin.rawModes, [true, false]);
});

test('readStdin strips one trailing newline and refuses oversize input', async () => {
  const io = { stdin: PassThrough.from(['secret pass\n']) } as unknown as CliIo;
  assert.equal(stripNewline(await readStdin(io, 100)), 'secret pass');
  assert.equal(stripNewline('a\r\n'), 'a');
  const big = { stdin: PassThrough.from(['x'.repeat(200)]) } as unknown as CliIo;
  await assert.rejects(readStdin(big, 100), UsageError);
});
