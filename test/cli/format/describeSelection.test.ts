import { recordMismatches, type ExportRecord } from '../../../src/cli/export/ExportRecord';
import { describeSelection } from '../../../src/cli/format/describeSelection';

describe('describeSelection', () => {
  it('says every stored completion when nothing filters', () => {
    expect(describeSelection({}, { since: undefined, until: undefined }, undefined)).toBe('every stored completion');
  });

  it('names each filter, quoting values, and the window with its flags', () => {
    const window = { since: { given: '7d', seconds: 1_761_955_200 }, until: { given: '1762000000', seconds: 1_762_000_000 } };
    expect(describeSelection({ model: 'gpt-4o', metadata: { user: '42', 'a b': 'x\ny' }, order: 'desc', after: 'c-1' }, window, 10)).toBe(
      'every stored completion, of model "gpt-4o", with metadata "user"="42" and "a b"="x\\ny", ' +
        'created from 2025-11-01T00:00:00Z (--since 7d), created before 2025-11-01T12:26:40Z (--until 1762000000), ' +
        'after "c-1" in desc order, at most 10',
    );
  });
});

describe('recordMismatches', () => {
  const record: ExportRecord = {
    format: 'completions',
    order: 'desc',
    model: null,
    metadata: { b: '2', a: '1' },
    since: { given: '7d', seconds: 100 },
    until: null,
    after: null,
  };

  it('finds none for the same flags, whatever the metadata order, the time a span stands for, or --after', () => {
    expect(recordMismatches(record, { ...record, metadata: { a: '1', b: '2' }, since: { given: '7d', seconds: 200 }, after: 'x' })).toEqual([]);
  });

  it('names each difference with the flags to give', () => {
    expect(recordMismatches(record, { ...record, format: 'with-messages', order: 'asc', model: 'm', metadata: {}, since: null })).toEqual([
      'the export has --format completions, this command --with-messages',
      'the export has --order desc, this command --order asc',
      'the export has no --model, this command --model m',
      'the export has --metadata a=1 --metadata b=2, this command no --metadata',
      'the export has --since 7d, this command no --since',
    ]);
  });
});
