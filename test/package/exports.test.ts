import { execFileSync } from 'node:child_process';
import path from 'node:path';

// Runs against dist/, which `npm test` builds first (pretest): this is what users load.
const root = path.join(__dirname, '../..');
const run = (args: string[]): string => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

describe('the package entry points', () => {
  it('work with require', () => {
    const out = run([
      '-e',
      "const m = require('rx-stored-completions'); const t = require('rx-stored-completions/testing');" +
        'console.log([typeof m.createClient, typeof m.ChatCompletion.decode, typeof m.RateLimitError, typeof t.startEmulator].join())',
    ]);
    expect(out).toBe('function,function,function,function');
  });

  it('work with import, named exports included', () => {
    const out = run([
      '--input-type=module',
      '-e',
      "import { createClient, ChatCompletion, RateLimitError } from 'rx-stored-completions';" +
        "import { startEmulator } from 'rx-stored-completions/testing';" +
        'console.log([typeof createClient, typeof ChatCompletion.decode, typeof RateLimitError, typeof startEmulator].join())',
    ]);
    expect(out).toBe('function,function,function,function');
  });
});
