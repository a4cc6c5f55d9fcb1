import { DEFAULTS } from '../../defaults';
import { CONNECTION_OPTIONS } from '../args/connectionOptions';
import { EMULATOR_OPTIONS } from '../args/emulatorOptions';
import { FILTER_OPTIONS, POLL_OPTIONS } from '../args/watchOptions';
import { CLI_DEFAULTS } from '../cliDefaults';
import type { Command } from '../Command';
import { formatCount } from '../format/formatCount';
import { SYNC_FORMATS } from '../sync/partFormat';

const SYNC = CLI_DEFAULTS.sync;

/** `rxsc sync DIR`: an archive of the stored completions, brought up to date at each run. */
export const syncCommand: Command = {
  name: 'sync',
  summary: 'Keep an archive folder of stored completions up to date',
  description: [
    'Brings the archive in DIR up to date: the first run reads the whole history, later',
    'runs only what was stored since. Each completion is one JSON line, as the server',
    'sent it, in DIR/completions/day=YYYY-MM-DD/part-NNNNNN.jsonl by the UTC day of its',
    'created. A completion deleted upstream stays in the archive.',
    '',
    'Killed at any moment, a run leaves the archive as of its last commit, every file',
    'whole; the next run goes on from there, each completion archived once. Two syncs',
    'into one folder at once: the second refuses. See docs/history.md.',
    '',
    '--with-messages archives the input messages too (DIR/messages/…). --refresh T reads',
    'again the completions created from T on and records those whose metadata changed',
    'in DIR/changes/…. --watch keeps running: it syncs again after each interval.',
  ].join('\n'),
  arguments: ['DIR'],
  options: {
    ...FILTER_OPTIONS,
    'with-messages': { type: 'boolean', help: 'Archive the input messages of each completion too' },
    concurrency: { type: 'string', value: 'N', help: `Completions whose messages are fetched at once (default ${DEFAULTS.bulk.concurrency})` },
    refresh: { type: 'string', value: 'T', help: 'Read again the completions created from T on (e.g. 7d) and record metadata changes' },
    watch: { type: 'boolean', help: 'Keep running: sync again after each interval, until Ctrl-C' },
    ...POLL_OPTIONS,
    'commit-every': { type: 'string', value: 'N', help: `Commit after this many completions at most (default ${formatCount(SYNC.commitEvery)})` },
    format: { type: 'string', value: SYNC_FORMATS.map((format) => format.name).join('|'), help: `The format of the files (default ${SYNC_FORMATS[0]?.name ?? 'jsonl'})` },
    ...CONNECTION_OPTIONS,
    ...EMULATOR_OPTIONS,
  },
  examples: [
    'rxsc sync archive --emulator --emulator-count 2000',
    'rxsc sync archive --with-messages --refresh 7d',
    'rxsc sync archive --watch --interval 60000',
  ],

  load: () => (require('./runSync') as typeof import('./runSync')).runSync,
};
