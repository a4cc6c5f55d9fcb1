import { formatTable } from '../../src/cli/format/table';

describe('formatTable', () => {
  it('pads each column to its widest cell, aligned as asked, without trailing spaces', () => {
    expect(formatTable([['Model', 'Count'], ['gpt-4o', '12'], ['o3', '1,234']], ['left', 'right'])).toBe(
      'Model   Count\ngpt-4o     12\no3      1,234\n',
    );
  });

  it('accepts short rows and left-aligns columns beyond the alignments given', () => {
    expect(formatTable([['a', 'bb', 'c'], ['aaa']], ['right'])).toBe('  a  bb  c\naaa\n');
  });

  it('prints nothing for no rows', () => {
    expect(formatTable([], [])).toBe('');
  });
});
