import { displayWidth, formatTable } from '../../../src/cli/format/table';

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

describe('displayWidth', () => {
  it.each([
    ['ascii', 'prod', 4],
    ['accented, precomposed', 'données', 7],
    ['accented, combining', 'donne\u0301es', 7],
    ['CJK', '検索', 4],
    ['emoji', 'café ☕', 7],
    ['astral emoji', '😀!', 3],
    ['empty', '', 0],
  ])('counts %s', (_name, text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it('aligns columns holding wide characters by their width on screen', () => {
    expect(formatTable([['検索', '1'], ['chat', '22']], ['left', 'right'])).toBe('検索   1\nchat  22\n');
  });
});
