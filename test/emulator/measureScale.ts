/**
 * Measures the emulator at scale: start-up time and RSS for a history of `count` completions, the
 * server-side cost of a page of 100 (the store building the page's bytes, no network), and a
 * round trip over keep-alive HTTP for comparison. Not a test: numbers depend on the machine.
 *
 * Run it in a process of its own per count, so that RSS is the emulator's:
 *
 *     npx tsc -p tsconfig.json --noEmit false --outDir /tmp/rxsc
 *     node /tmp/rxsc/test/emulator/measureScale.js 100000
 *     node /tmp/rxsc/test/emulator/measureScale.js 1000000
 */
import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CompletionStore } from '../../src/emulator/server/completionStore';
import { startEmulator } from '../../src/testing';

const agent = new Agent({ keepAlive: true });

function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString()));
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000_000);
  const pages = Math.min(2_000, Math.floor(count / 100) - 1);
  const rssBefore = process.memoryUsage().rss;
  const startedAt = performance.now();
  const emulator = await startEmulator({ count });
  const startupMs = performance.now() - startedAt;
  const rss = process.memoryUsage().rss;

  let after: string | null = null;
  let bytes = 0;
  const walkStartedAt = performance.now();
  for (let page = 0; page < pages; page++) {
    const text = await fetchText(`${emulator.url}/chat/completions?limit=100${after === null ? '' : `&after=${after}`}`);
    bytes += Buffer.byteLength(text);
    after = (JSON.parse(text) as { last_id: string | null }).last_id;
  }
  const roundTripMs = (performance.now() - walkStartedAt) / pages;
  agent.destroy();
  await emulator.close();

  // The same work without sockets or client parsing: what a request costs the server.
  const store = new CompletionStore(1, count);
  const cursors: (string | undefined)[] = [undefined];
  for (let page = 1; page < pages; page++) {
    const body = store.list({ limit: 100, order: 'asc', after: cursors[page - 1], model: undefined, metadata: [] });
    cursors.push((JSON.parse(body.toString()) as { last_id: string }).last_id);
  }
  // Twice, reporting the second: the first pass includes compiling the hot path.
  const timed = (run: (after: string | undefined) => Buffer): number => {
    let start = 0;
    for (let pass = 0; pass < 2; pass++) {
      start = performance.now();
      for (const cursor of cursors) run(cursor);
    }
    return (performance.now() - start) / cursors.length;
  };
  const pageMs = timed((cursor) => store.list({ limit: 100, order: 'asc', after: cursor, model: undefined, metadata: [] }));
  const filteredMs = timed((cursor) =>
    store.list({ limit: 100, order: 'desc', after: cursor, model: 'o3-mini', metadata: [['env', 'prod']] }),
  );

  const mb = (n: number): string => `${(n / 1_048_576).toFixed(0)} MB`;
  console.log(
    [
      `count ${count.toLocaleString('en')}`,
      `startup ${startupMs.toFixed(0)} ms`,
      `RSS ${mb(rss)} (${mb(rss - rssBefore)} above the bare process)`,
      `page of 100, server time ${pageMs.toFixed(3)} ms (filtered by model and metadata, desc: ${filteredMs.toFixed(3)} ms)`,
      `HTTP round trip (node:http client in the same process, JSON.parse included) ${roundTripMs.toFixed(3)} ms per page, ${(bytes / pages / 1024).toFixed(0)} KiB per page`,
    ].join('\n'),
  );
}

void main();
