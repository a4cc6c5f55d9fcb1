import { runCliInMemory } from '../../helpers/cliRun';
import { completion, listIgnoringOrder, startScriptedServer, type ScriptedServer } from '../../helpers/scriptedServer';

/** Six completions created a minute apart. */
const CREATED = (index: number): number => 1_700_000_000 + 60 * index;

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('rxsc against a server that ignores order', () => {
  beforeEach(async () => {
    const stored = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, index) => completion(id, { created: CREATED(index) }));
    server = await startScriptedServer(listIgnoringOrder(stored, 3));
  });

  it.each([['export'], ['delete', '--dry-run']])('rxsc %s … --order desc --since fails rather than report 0 completions', async (...command) => {
    const run = await runCliInMemory([...command, '--order', 'desc', '--since', String(CREATED(3)), '--base-url', server!.url, '--api-key', 'unused']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("The server ignores `order: 'desc'`");
    expect(run.stdout).toBe('');
  });
});
