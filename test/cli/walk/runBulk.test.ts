import { runCliInMemory } from '../../helpers/cliRun';
import { completion, startScriptedServer, type ScriptedServer } from '../../helpers/scriptedServer';
import { storeScript } from '../../helpers/scriptedStore';

/** Ids a hostile server may send: a forged line, a screen clear, a bidi override, a C1 control. */
const HOSTILE_IDS = ['chatcmpl-a\nrxsc: all good', 'chatcmpl-b\u001b[2J\r', 'chatcmpl-c\u202e', 'chatcmpl-d\u009b31m'];
const ESCAPED_IDS = ['chatcmpl-a\\nrxsc: all good', 'chatcmpl-b\\u001b[2J\\r', 'chatcmpl-c\\u202e', 'chatcmpl-d\\u009b31m'];

describe('delete and tag print server ids escaped', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer(storeScript(HOSTILE_IDS.map((id) => completion(id))));
  });
  afterEach(() => server.close());

  it.each([
    ['delete --yes', ['delete', '--yes']],
    ['delete --dry-run', ['delete', '--dry-run']],
    ['tag --set', ['tag', '--set', 'k=v']],
    ['tag --set --dry-run', ['tag', '--set', 'k=v', '--dry-run']],
  ])('%s: one line per id, control characters escaped', async (_name, args) => {
    const run = await runCliInMemory([...args, '--base-url', server.url, '--concurrency', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, -1)).toEqual(ESCAPED_IDS);
  });
});
