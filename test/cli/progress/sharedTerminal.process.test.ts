import { childEnv, MAIN } from '../../helpers/runRxsc';
import { hasScript, runOnTerminal, screenLines, type TerminalRun } from '../../helpers/pseudoTerminal';

// stdout and stderr on one terminal, as in a user's shell: the status line (stderr) must be erased
// before each line of output (stdout), or the two run together on one line.
const EMULATOR = ['--emulator', '--emulator-count', '300', '--emulator-rate-limit', 'off', '--emulator-fault-rate', '0', '--emulator-latency-ms', '2'];

const COMMANDS: Readonly<Record<string, { readonly args: readonly string[]; readonly output: RegExp }>> = {
  delete: { args: ['delete', '--yes', '--concurrency', '4', ...EMULATOR], output: /chatcmpl-/ },
  tag: { args: ['tag', '--set', 'reviewed=yes', '--concurrency', '4', ...EMULATOR], output: /chatcmpl-/ },
  export: { args: ['export', '--limit', '20', ...EMULATOR], output: /\{"/ },
};

/** The frames of the status line: what each redraw (`\r ESC[K` then text) drew. */
function frames(transcript: string): string[] {
  return transcript
    .split('\r\x1b[K')
    .slice(1)
    .map((frame) => frame.split(/\r?\n/)[0] ?? '')
    .filter((frame) => frame.includes(' · '));
}

const describeOnTerminal = process.platform === 'linux' ? describe : describe.skip;

describeOnTerminal('stdout and the status line on one terminal', () => {
  const runs = new Map<string, TerminalRun>();

  beforeAll(async () => {
    if (!(await hasScript())) throw new Error('util-linux `script` is needed to run a command on a pseudo-terminal');
    const env = childEnv();
    await Promise.all(
      Object.entries(COMMANDS).map(async ([name, { args }]) => runs.set(name, await runOnTerminal([process.execPath, MAIN, ...args], env))),
    );
  }, 60_000);

  it.each(Object.keys(COMMANDS))('%s: no line holds both status text and output', (name) => {
    const run = runs.get(name);
    const command = COMMANDS[name];
    if (run === undefined || command === undefined) throw new Error(`no run of ${name}`);
    expect(run.code).toBe(0);
    expect(frames(run.transcript).length).toBeGreaterThan(0);
    const lines = screenLines(run.transcript);
    expect(lines.filter((line) => command.output.test(line)).length).toBeGreaterThanOrEqual(100);
    expect(lines.filter((line) => command.output.test(line) && line.includes(' · '))).toEqual([]);
  });

  it('delete never shows pages: it walks with list(), and counts completions', () => {
    const shown = frames(runs.get('delete')?.transcript ?? '');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((frame) => frame.includes('page'))).toEqual([]);
  });
});
