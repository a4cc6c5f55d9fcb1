import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../src/cli/runCli';
import { runCliInMemory } from '../helpers/cliRun';

// The command lines of the ```sh blocks of docs/cli.md, export.md, cli-recipes.md and history.md run here, in
// order, in one working directory: they must exit 0. They run in process; the binary's own wiring
// is tested in test/cli/main.process.test.ts. A block fenced ```sh no-run is shown, not run.

const DOCS = ['cli.md', 'export.md', 'cli-recipes.md', 'history.md'].map((name) => join(__dirname, '..', '..', 'docs', name));
const text = DOCS.map((doc) => readFileSync(doc, 'utf8')).join('\n');

/** The line `npm start` runs. */
const NPM_START = 'rxsc stats --emulator';

/** How long one line may run: its exit code is the assertion, this only bounds a hang. */
const LINE_TIMEOUT_MS = 120_000;

const EXPECTED_STDERR =
  /^(rxsc: retrying after .+|Would (delete|update) [\d,]+ completions\.|[\d,]+ (deleted|updated), .*, 0 failed\.|Skipped [\d,]+ completions?: .+|[\d,]+ new completions? archived in .+)$/;

/** The arguments of a plain `rxsc …` line: a line that needs a shell is fenced ```sh no-run. */
function rxscArgs(line: string): string[] {
  const [command, ...args] = line.split(/\s+/);
  if (command !== 'rxsc' || /[|&;<>()$`\\"'*?~]/.test(line)) throw new Error(`not a plain rxsc command line: ${line}`);
  return args;
}

function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  let inRunnable = false;
  let inBlock = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      inRunnable = !inBlock && line.trim() === '```sh';
      inBlock = !inBlock;
    } else if (inRunnable && line.trim() !== '') {
      lines.push(line.trim());
    }
  }
  return lines;
}

describe('the CLI docs', () => {
  let dir: string;
  const cwd = process.cwd();

  // The lines name their files relative to where they run.
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxsc-docs-'));
    process.chdir(dir);
  });
  afterAll(async () => {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  });

  it('has runnable examples', () => {
    expect(shellLines(text).length).toBeGreaterThan(4);
  });

  // `npm start`'s own line walks 50,000 completions behind 100 requests/s: at least 5 s, 13 s on an
  // idle two-core machine. CI runs `npm start` itself after the tests (.ci/run), so here the line is
  // held equal to the script CI runs rather than run a second time.
  it('shows `npm start` as the command CI runs', () => {
    const { scripts } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(shellLines(text)).toContain(NPM_START);
    expect(scripts['start']).toBe(`node dist/cli/main.js ${rxscArgs(NPM_START).join(' ')}`);
    expect(readFileSync(join(__dirname, '..', '..', '.ci', 'run'), 'utf8')).toMatch(/^npm start$/m);
  });

  it.each(shellLines(text).filter((line) => line !== NPM_START))('runs `%s` with exit code 0', async (line) => {
    const { code, stderr } = await runCliInMemory(rxscArgs(line));
    // The emulator of --emulator injects faults: off a terminal, the retries they cause are logged;
    // delete, tag and export --format finetune sum up on stderr.
    const unexpected = stderr.split('\n').filter((text) => text !== '' && !EXPECTED_STDERR.test(text));
    expect({ code, unexpected }).toEqual({ code: 0, unexpected: [] });
  }, LINE_TIMEOUT_MS);

  it('documents every flag of every command', () => {
    for (const command of COMMANDS) {
      expect(text).toMatch(new RegExp(`##+ \`rxsc ${command.name}\``));
      for (const flag of Object.keys(command.options)) expect(text).toContain(`\`--${flag}`);
    }
  });

  it('resumes the example export to the same file as a full one', async () => {
    const resumed = await readFile(join(dir, 'resumable.jsonl'), 'utf8');
    const full = await readFile(join(dir, 'completions.jsonl'), 'utf8');
    expect(resumed).toBe(full);
  });
});
