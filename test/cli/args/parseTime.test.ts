import { parseTime } from '../../../src/cli/args/parseTime';
import { createdWindowStep } from '../../../src/internal/walk/createdWindowStep';

const NOW_MS = Date.parse('2026-11-08T00:00:00Z');
const seconds = (iso: string): number => Date.parse(iso) / 1000;

describe('parseTime', () => {
  it.each([
    ['2026-11-01', seconds('2026-11-01T00:00:00Z')],
    ['2026-11-01T12:00:00Z', seconds('2026-11-01T12:00:00Z')],
    ['2026-11-01T12:00Z', seconds('2026-11-01T12:00:00Z')],
    ['2026-11-01T12:00:00', seconds('2026-11-01T12:00:00Z')],
    ['2026-11-01T12:00:00.5Z', seconds('2026-11-01T12:00:00Z') + 0.5],
    ['2026-11-01T12:00:00+02:00', seconds('2026-11-01T10:00:00Z')],
    ['2026-11-01T12:00:00-0130', seconds('2026-11-01T13:30:00Z')],
    ['1761955200', 1_761_955_200],
    ['0', 0],
    ['90m', NOW_MS / 1000 - 5_400],
    ['24h', NOW_MS / 1000 - 86_400],
    ['7d', seconds('2026-11-01T00:00:00Z')],
    ['0000-01-01', seconds('0000-01-01T00:00:00Z')],
    ['0050-06-01', seconds('0050-06-01T00:00:00Z')],
    ['0099-12-31T23:59:59+01:00', seconds('0099-12-31T22:59:59Z')],
    ['0000-02-29', seconds('0000-02-29T00:00:00Z')],
    ['999999999d', NOW_MS / 1000 - 999_999_999 * 86_400],
  ])('reads %s', (text, expected) => {
    expect(parseTime(text, NOW_MS)).toBe(expected);
  });

  it.each(['', 'yesterday', '7 d', '7w', '-5', '1.5', '2026-02-30', '2026-13-01', '2026-11-01T25:00:00Z', '2026-11-01T12:00:00+24:00', '2026-11-1', '0100-02-29'])(
    'refuses %j',
    (text) => {
      expect(parseTime(text, NOW_MS)).toBeUndefined();
    },
  );
});

describe('createdWindowStep', () => {
  const window = { since: 100, until: 200 };
  const windowStep = (created: number, within: typeof window | Record<string, undefined>, order: 'asc' | 'desc' | undefined) =>
    createdWindowStep(within, order ?? 'asc')(created);

  it('keeps [since, until) and, ascending, stops at the first item at or after until', () => {
    expect([99, 100, 199, 200].map((created) => windowStep(created, window, 'asc'))).toEqual(['skip', 'keep', 'keep', 'stop']);
    expect(windowStep(250, window, undefined)).toBe('stop');
  });

  it('descending, stops at the first item older than since', () => {
    expect([200, 199, 100, 99].map((created) => windowStep(created, window, 'desc'))).toEqual(['skip', 'keep', 'keep', 'stop']);
  });

  it('keeps everything with both ends open', () => {
    expect(windowStep(0, { since: undefined, until: undefined }, 'desc')).toBe('keep');
  });
});
