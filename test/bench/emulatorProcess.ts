/**
 * The emulator in a process of its own, so that the benchmark measures the
 * client and not a server sharing its event loop. Options come as one JSON
 * argument; the URL goes to stdout; it runs until killed.
 */
import { startEmulator } from 'rx-stored-completions/testing';

const options = JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof startEmulator>[0];
void startEmulator(options).then((emulator) => {
  process.stdout.write(`${emulator.url}\n`);
  process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
});
