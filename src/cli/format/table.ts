/** How a column's cells are padded. */
export type Align = 'left' | 'right';

/**
 * Lays out rows as a plain-text table: each column as wide as its widest
 * cell, two spaces between columns, no trailing spaces. Widths count UTF-16
 * code units, which is right for the ASCII this CLI prints and close enough
 * for the rest.
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
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) => {
      const cells = row.map((cell, column) => {
        const width = widths[column] ?? 0;
        return align[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      });
      return `${cells.join('  ').trimEnd()}\n`;
    })
    .join('');
}
