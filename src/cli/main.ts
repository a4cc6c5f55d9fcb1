#!/usr/bin/env node
import { setMaxListeners } from 'node:events';
import { EXIT } from './cliDefaults';
import { runCli } from './runCli';

// The only impure wiring of the CLI: the real streams, environment, clock and signals.
const interrupt = new AbortController();
// Every request in flight listens to it: `--concurrency` of them, up to 100, beyond Node's warning at 10.
setMaxListeners(0, interrupt.signal);
const onSignal = (signal: NodeJS.Signals): void => {
  // A second Ctrl-C means "now": the first one's clean stop may be waiting on a slow flush.
  if (interrupt.signal.aborted) process.exit(signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
  interrupt.abort(signal);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

void runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: () => Date.now(),
  signal: interrupt.signal,
}).then((code) => {
  process.exitCode = code;
});
