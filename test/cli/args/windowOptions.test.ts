import { runCliInMemory } from '../../helpers/cliRun';
import { completion, startScriptedServer, type ScriptedServer } from '../../helpers/scriptedServer';
import { storeScript } from '../../helpers/scriptedStore';

describe('every command reads every date the same way', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer(storeScript([completion('chatcmpl-1')]));
  });
  afterAll(() => server.close());

  const COMMANDS = [['export'], ['stats'], ['delete', '--dry-run'], ['tag', '--set', 'k=v', '--dry-run']];

  it.each(COMMANDS)('%s takes a span back beyond the range of dates, and ISO years 0000 to 0099', async (...command) => {
    for (const since of ['999999999d', '0000-01-01', '0050-06-01T12:00:00Z', '0099-12-31']) {
      const run = await runCliInMemory([...command, '--base-url', server.url, '--since', since]);
      expect({ since, code: run.code, stderr: run.stderr.split('\n').filter((line) => line.startsWith('rxsc:')) }).toEqual({ since, code: 0, stderr: [] });
    }
    const never = await runCliInMemory([...command, '--base-url', server.url, '--until', '999999999d']);
    expect(never.code).toBe(0);
  });
});
