import { StatusLine } from '../../../src/cli/progress/StatusLine';
import { WalkProgress } from '../../../src/cli/progress/WalkProgress';
import { APIConnectionError, APIError } from '../../../src';

/** A progress line on a fake terminal, with a clock the test moves by hand. */
function setup(tty = true, countsPages = true) {
  let nowMs = 1_000;
  const writes: string[] = [];
  const progress = new WalkProgress(tty ? new StatusLine((text) => void writes.push(text)) : undefined, () => nowMs, 100, undefined, 5_000, countsPages);
  return { progress, writes, advance: (ms: number) => (nowMs += ms) };
}

describe('WalkProgress', () => {
  it('draws items, pages, rate, retries and the date reached on one line', () => {
    const { progress, writes, advance } = setup();
    progress.page();
    for (let i = 0; i < 100; i++) progress.item(1_704_067_200);
    advance(2_000);
    progress.retry();
    expect(writes.at(-1)).toBe('\r\x1b[K100 items · 1 page · 50 items/s · 1 retry · created 2024-01-01T00:00:00Z');
  });

  it('redraws at most once per 100 ms, however many events arrive', () => {
    const { progress, writes, advance } = setup();
    progress.page();
    progress.item(1);
    progress.page();
    progress.retry();
    advance(99);
    progress.page();
    progress.item(2);
    expect(writes).toHaveLength(1);
    advance(1);
    progress.retry();
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain('2 items · 3 pages');
    expect(writes[1]).toContain('2 retries');
  });

  it('erases the line when finished, and only if it drew one', () => {
    const drawn = setup();
    drawn.progress.page();
    drawn.progress.finish();
    expect(drawn.writes.at(-1)).toBe('\r\x1b[K');

    const silent = setup();
    silent.progress.finish();
    expect(silent.writes).toEqual([]);
  });

  it('counts without drawing when there is no terminal', () => {
    const { progress, writes } = setup(false);
    progress.page();
    progress.item(1);
    progress.retry();
    progress.finish();
    expect(writes).toEqual([]);
    expect([progress.items, progress.pages, progress.retries]).toEqual([1, 1, 1]);
  });

  it('says 1 retry and 1 page, and 0 items/s before any time has passed', () => {
    const { progress } = setup(false);
    progress.retry();
    progress.page();
    expect(progress.text()).toBe('0 items · 1 page · 0 items/s · 1 retry');
  });
});

describe('WalkProgress, retry causes and outcomes', () => {
  const reset = new APIConnectionError('socket hang up', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
  const limited = APIError.from(429, undefined, undefined, {});

  it('shows the retries by cause, and the outcomes of a command that writes, and no pages from its first frame on', () => {
    const { progress, writes, advance } = setup(true, false);
    progress.retry({ error: limited, retryCount: 1, delayMs: 10 });
    progress.retry({ error: limited, retryCount: 2, delayMs: 10 });
    progress.retry({ error: reset, retryCount: 1, delayMs: 10 });
    progress.outcome('deleted');
    progress.outcome('failed');
    advance(100);
    progress.outcome('deleted');
    expect(writes[0]).toBe('\r\x1b[K0 items · 0 items/s · 1 retry (HTTP 429 ×1)');
    expect(writes.at(-1)).toBe('\r\x1b[K0 items · 0 items/s · 3 retries (HTTP 429 ×2, ECONNRESET ×1) · 2 deleted · 1 failed');
    expect(progress.outcomeCount('deleted')).toBe(2);
  });

  it('off a terminal, logs one line per cause at most every 5 s', () => {
    let nowMs = 0;
    const log: string[] = [];
    const progress = new WalkProgress(undefined, () => nowMs, 100, (line) => log.push(line), 5_000);
    for (let i = 0; i < 10; i++) {
      progress.retry({ error: limited, retryCount: 1, delayMs: 10 });
      progress.retry({ error: reset, retryCount: 1, delayMs: 10 });
      nowMs += 1_000;
    }
    expect(log).toEqual([
      'rxsc: retrying after HTTP 429 (1 so far)\n',
      'rxsc: retrying after ECONNRESET (1 so far)\n',
      'rxsc: retrying after HTTP 429 (6 so far)\n',
      'rxsc: retrying after ECONNRESET (6 so far)\n',
    ]);
  });

  it('prints a line above the status line, its control characters escaped, and redraws at the next event', () => {
    const { progress, writes } = setup();
    progress.page();
    progress.print('rxsc: c-1: 500 boom\n\u001b[2Jrxsc: all good');
    progress.item(1);
    expect(writes.slice(1)).toEqual([
      '\r\x1b[Krxsc: c-1: 500 boom\\n\\u001b[2Jrxsc: all good\n',
      '\r\x1b[K1 item · 1 page · 0 items/s · 0 retries · created 1970-01-01T00:00:01Z',
    ]);
    const log: string[] = [];
    new WalkProgress(undefined, () => 0, 100, (line) => log.push(line)).print('off\ra terminal');
    expect(log).toEqual(['off\\ra terminal\n']);
  });
});
