import { completion, startScriptedServer, type ScriptedServer } from '../../helpers/scriptedServer';
import { storeScript } from '../../helpers/scriptedStore';
import { finished, spawnRxsc } from '../../helpers/runRxsc';

const COUNT = 400;

describe('delete and tag when the reader of stdout goes away (child process)', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    const script = storeScript(Array.from({ length: COUNT }, (_, index) => completion(`chatcmpl-${index}`)));
    // A little late, so that the reader is gone long before the job is done.
    server = await startScriptedServer((req, res, n) => void setTimeout(() => script(req, res, n), 2));
  });
  afterAll(() => server.close());

  it.each([
    ['delete --yes', ['delete', '--yes'], /^Stopped: the reader of stdout went away\. \d+ deleted, 0 already gone, 0 failed\. Run the same command again to finish\.\n$/],
    ['delete --dry-run', ['delete', '--dry-run'], /^Stopped: the reader of stdout went away after \d+ completions\.\n$/],
    ['tag --set', ['tag', '--set', 'k=v'], /^Stopped: the reader of stdout went away\. \d+ updated, 0 already gone, 0 failed\. Run the same command again to finish\.\n$/],
    ['tag --set --dry-run', ['tag', '--set', 'k=v', '--dry-run'], /^Stopped: the reader of stdout went away after \d+ completions\.\n$/],
  ])('%s stops sending, says what it did on stderr, and exits 0', async (_name, args, summary) => {
    const before = server.requests.length;
    const child = spawnRxsc([...args, '--base-url', server.url, '--limit', '10', '--concurrency', '2']);
    const run = finished(child);
    child.stdout.once('data', () => child.stdout.destroy());
    const { code, stderr } = await run;
    expect(stderr).toMatch(summary);
    expect(code).toBe(0);
    expect(server.requests.length - before).toBeLessThan(COUNT / 2);
  });
});
