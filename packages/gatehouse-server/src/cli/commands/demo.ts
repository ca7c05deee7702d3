/** `gatehouse demo`: announced for a later release. */
import type { Command } from '../command.js';
import { EXIT } from '../io.js';

const HELP = `Usage:
  gatehouse demo

The whole system of the seed documents on one machine (auth server on 127.0.0.1:5000, the
"articles" resource server on 127.0.0.1:4000 and the web page) arrives in a later release.
Meanwhile: gatehouse serve.`;

/** `gatehouse demo` */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'the seed documents\u2019 system on one machine (a later release)',
  help: HELP,
  async run(_args, io) {
    io.stdout('gatehouse demo arrives in a later release.\n\n');
    io.stdout(`${HELP}\n`);
    return EXIT.OK;
  },
};
