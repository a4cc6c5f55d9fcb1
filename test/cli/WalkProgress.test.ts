import { WalkProgress } from '../../src/cli/progress/WalkProgress';

/** A progress line on a fake terminal, with a clock the test moves by hand. */
function setup(tty = true) {
  let nowMs = 1_000;
  const writes: string[] = [];
  const progress = new WalkProgress(tty ? (text) => writes.push(text) : undefined, () => nowMs);
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
