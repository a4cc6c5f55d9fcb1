import * as path from 'node:path';
import { sourceImports } from '../helpers/sourceImports';

/** The packages whose loading costs most of a start-up: a command loads them when it runs. */
const HEAVY = ['rxjs', 'undici', 'io-ts', 'fp-ts'];

/**
 * What loading `file` loads, transitively, through the imports that stay in
 * the compiled code (`import type` is erased): our files, and the packages
 * they name. A command's code, reached through `require()` in its `load`,
 * is not followed: it loads when the command runs.
 */
function loadedBy(file: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (current: string): void => {
    if (files.has(current)) return;
    files.add(current);
    for (const found of sourceImports(current)) {
      if (found.kind !== 'import' || found.erased) continue;
      if (found.target !== undefined) visit(found.target);
      else if (!found.specifier.startsWith('node:')) packages.add(found.specifier.split('/')[0] as string);
    }
  };
  visit(file);
  return { files, packages };
}

describe('rxsc start-up', () => {
  const { files, packages } = loadedBy('src/cli/main.ts');

  it('loads none of rxjs, undici, io-ts and fp-ts before a command runs (`--version`, `--help`)', () => {
    expect([...packages].filter((name) => HEAVY.includes(name))).toEqual([]);
  });

  it("loads no command's code before it runs, only its help", () => {
    expect([...files].filter((file) => /^src\/cli\/commands\/run[A-Z]/.test(path.relative('', file)))).toEqual([]);
    expect(files.size).toBeLessThan(40);
  });
});
