/**
 * `rxsc export --with-messages` in a child process with a capped heap: long conversations
 * must stream through the join, each line written a page of messages at a time, two long
 * conversations read at once, rather than hold `--concurrency` (8) conversations whole or a
 * page of completions with all their messages (either dies in this heap). The figures for 100
 * completions of 10,000 messages are in docs/performance.md.
 */
import { spawn } from 'node:child_process';
import { completion, json, startScriptedServer, type ScriptedServer } from '../../helpers/scriptedServer';
import { storeScript } from '../../helpers/scriptedStore';
import { MAIN } from '../../helpers/runRxsc';

const COMPLETIONS = 10;
const MESSAGES = 4_000;
const CONTENT = 'x'.repeat(2_000);
const HEAP_MB = 64;
/** What the join may add to the peak RSS of a plain export of the same completions: less than 8 conversations (64 MB); it adds 20 to 35. */
const JOIN_MB = 48;
/** Two runs of the CLI writing 80 MB each in a small heap: more than jest's 30 s on a busy machine. */
const CHILD_TIMEOUT_MS = 50_000;

/** Runs argv[1] as the CLI with the rest as its arguments, and prints its peak RSS on stderr when it exits. */
const WITH_PEAK_RSS = `
process.argv.splice(1, 1);
process.on('exit', () => process.stderr.write('\\n' + JSON.stringify({ peakMB: process.resourceUsage().maxRSS / 1024 })));
require(process.argv[1]);
`;

/** The exit code, the number of lines written and the peak RSS of `rxsc …args` in a heap of HEAP_MB. */
async function peakOf(args: readonly string[]): Promise<{ code: number | null; lines: number; peakMB: number | undefined; stderr: string }> {
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '-e', WITH_PEAK_RSS, '-', MAIN, ...args]);
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  let lines = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const report = /\{"peakMB":([\d.]+)\}\s*$/.exec(stderr);
  return { code, lines, peakMB: report === null ? undefined : Number(report[1]), stderr: stderr.slice(0, 2_000) };
}

let server: ScriptedServer;
beforeAll(async () => {
  const ids = Array.from({ length: COMPLETIONS }, (_, index) => `chatcmpl-${index}`);
  server = await startScriptedServer(
    storeScript(
      ids.map((id) => completion(id)),
      (id, res, query) => {
        const limit = Number(query.get('limit') ?? '20');
        const after = query.get('after');
        const start = after === null ? 0 : Number(after.slice(after.lastIndexOf('-') + 1)) + 1;
        const data = Array.from({ length: Math.min(limit, MESSAGES - start) }, (_, offset) => ({
          id: `${id}-msg-${start + offset}`,
          role: 'user',
          content: CONTENT,
          name: null,
          content_parts: null,
        }));
        json(res, 200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: start + limit < MESSAGES });
      },
    ),
  );
});
afterAll(() => server.close());

it(`export --with-messages of ${COMPLETIONS} completions of ${MESSAGES.toLocaleString('en-US')} messages (8 MB each) runs in a ${HEAP_MB} MB heap, within ${JOIN_MB} MB of a plain export`, async () => {
  const plain = await peakOf(['export', '--base-url', server.url]);
  expect(plain).toMatchObject({ code: 0, lines: COMPLETIONS });
  const joined = await peakOf(['export', '--with-messages', '--base-url', server.url]);
  expect(joined).toMatchObject({ code: 0, lines: COMPLETIONS });
  expect(joined.peakMB).toBeLessThanOrEqual((plain.peakMB ?? 0) + JOIN_MB);
}, 2 * CHILD_TIMEOUT_MS);
