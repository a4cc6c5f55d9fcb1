import { runCliInMemory } from '../../helpers/cliRun';
import { completion, gatewayWithoutDelete, listIgnoringOrder, startScriptedServer, type ScriptedServer } from '../../helpers/scriptedServer';

/** Six completions created a minute apart. */
const CREATED = (index: number): number => 1_700_000_000 + 60 * index;

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('rxsc against a gateway that lists completions but answers 404 to every DELETE', () => {
  it('delete exits 1, saying the server retrieves what it cannot find, and reports nothing gone', async () => {
    server = await startScriptedServer(gatewayWithoutDelete(['a', 'b', 'c']));
    const run = await runCliInMemory(['delete', '--yes', '--base-url', server.url, '--api-key', 'unused']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^rxsc: The server answered 404 to the DELETE of "[abc]", yet retrieves it/m);
    expect(run.stdout).toBe('');
  });
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
