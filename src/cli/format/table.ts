/** How a column's cells are padded. */
export type Align = 'left' | 'right';

/**
 * Lays out rows as a plain-text table: each column as wide as its widest
 * cell, two spaces between columns, no trailing spaces. Widths are terminal
 * columns: metadata values may be CJK or emoji, which take two, or carry
 * combining marks, which take none (see {@link displayWidth}).
 *
 * ## Example
 * ```ts
 * formatTable([['Model', 'Count'], ['gpt-4o', '12']], ['left', 'right']);
 * // 'Model   Count\ngpt-4o     12\n'
 * ```
 *
 * @param rows The cells, row by row; a row may be shorter than the others.
 * @param align The alignment of each column; columns beyond it are left-aligned.
 * @returns The table, each line ending with `\n`; `''` for no rows.
 */
export function formatTable(rows: readonly (readonly string[])[], align: readonly Align[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, displayWidth(cell));
    });
  }
  return rows
    .map((row) => {
      const cells = row.map((cell, column) => {
        const padding = ' '.repeat((widths[column] ?? 0) - displayWidth(cell));
        return align[column] === 'right' ? padding + cell : cell + padding;
      });
      return `${cells.join('  ').trimEnd()}\n`;
    })
    .join('');
}

/**
 * How many terminal columns a string takes, as `wcwidth` counts them for the
 * common cases: two for East Asian wide and fullwidth characters and for
 * emoji, none for combining marks, zero-width characters and variation
 * selectors, one for the rest. Not the full Unicode tables: a few ranges cover
 * what metadata values hold in practice.
 *
 * @param text Any string.
 * @returns Its width in columns.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (ZERO_WIDTH.some(([from, to]) => code >= from && code <= to)) continue;
    width += WIDE.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
  }
  return width;
}

const ZERO_WIDTH: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f], // combining diacritical marks
  [0x200b, 0x200f], // zero-width space, joiners, direction marks
  [0xfe00, 0xfe0f], // variation selectors
];

const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo
  [0x2600, 0x27bf], // miscellaneous symbols and dingbats (☕ …), shown as emoji
  [0x2e80, 0xa4cf], // CJK radicals … Yi
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6],
  [0x1f300, 0x1faff], // emoji
  [0x20000, 0x3fffd], // CJK extensions
];
