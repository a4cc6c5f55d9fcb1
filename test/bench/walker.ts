/**
 * One measured walk, in a process of its own so that its peak RSS is its own.
 * Usage: `node walker.js VARIANT BASE_URL [JSON_OPTIONS]`; prints one JSON
 * line: `{ items, ms, maxRssMB, requests, rateLimited, exactlyOnce }`.
 */
import OpenAI from 'openai';
import { from, lastValueFrom, merge, mergeMap, tap, type Observable } from 'rxjs';
import { request } from 'undici';
import { createClient, RateLimitError, type ChatCompletion } from 'rx-stored-completions';

interface Options {
  /** Walks merged on one client (`merged`). */
  readonly walks?: number;
  /** Async work per item, in ms (`process`). */
  readonly workMs?: number;
}

const [variant = '', baseURL = '', json = '{}'] = process.argv.slice(2);
const options = JSON.parse(json) as Options;
let items = 0;
let requests = 0;
let rateLimited = 0;
/** `merged`: whether every walk yielded the same items, each once. */
let exactlyOnce = true;

const count = async (items$: Observable<unknown>): Promise<void> => {
  await lastValueFrom(items$.pipe(tap(() => void items++)), { defaultValue: undefined });
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const variants: Record<string, () => Promise<void>> = {
  /** Our list(), defaults: pages of 100, full io-ts validation, a page ahead after the slow start. */
  list: () => count(createClient({ baseURL }).chat.completions.list()),

  /** Our list() with prefetch 0: the next request leaves once the consumer has had the current page. */
  'list-prefetch-0': () => count(createClient({ baseURL }).chat.completions.list({}, { prefetch: 0 })),

  /** Our list(), walking from both ends at once. */
  bidirectional: () => count(createClient({ baseURL }).chat.completions.list({}, { strategy: 'bidirectional' })),

  /** The official SDK's auto-pagination, asking for pages of 100. */
  sdk: async () => {
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL });
    for await (const completion of client.chat.completions.list({ limit: 100 })) if (completion.id) items++;
  },

  /** The official SDK with its defaults (pages of 20). */
  'sdk-defaults': async () => {
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL });
    for await (const completion of client.chat.completions.list()) if (completion.id) items++;
  },

  /** The floor: undici request + JSON.parse, following the cursor, no validation. */
  floor: async () => {
    let after: string | undefined;
    for (;;) {
      const query = `limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const response = await request(`${baseURL}/chat/completions?${query}`);
      const page = JSON.parse(await response.body.text()) as { data: Array<{ id: string }>; has_more: boolean };
      items += page.data.length;
      if (!page.has_more) return;
      after = page.data[page.data.length - 1]?.id;
    }
  },

  /** A slow consumer pacing the walk with process(): `workMs` of async work per item. */
  process: () =>
    count(
      createClient({ baseURL }).chat.completions.process(undefined, (item: ChatCompletion) =>
        sleep(options.workMs ?? 1).then(() => item.id),
      ),
    ),

  /** `walks` full walks merged on one client, sharing its rate-limit gate. */
  merged: async () => {
    const client = createClient({
      baseURL,
      onRetry: (event) => {
        requests++;
        if (event.error instanceof RateLimitError) rateLimited++;
      },
    });
    const seen: Array<Set<string>> = [];
    const walks = Array.from({ length: options.walks ?? 4 }, (_, walk) => {
      const ids = new Set<string>();
      seen[walk] = ids;
      return client.chat.completions.pages().pipe(
        mergeMap((page) => (requests++, from(page.data))),
        tap((item) => {
          if (ids.has(item.id)) exactlyOnce = false;
          ids.add(item.id);
        }),
      );
    });
    await count(merge(...walks));
    exactlyOnce &&= seen.every((ids) => ids.size === seen[0]?.size);
  },
};

const run = variants[variant];
if (!run) throw new Error(`Unknown variant ${variant}; known: ${Object.keys(variants).join(', ')}`);
const started = performance.now();
void run().then(() => {
  const ms = performance.now() - started;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ items, ms, maxRssMB, requests, rateLimited, exactlyOnce })}\n`);
});
