import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');

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
    const text = fs.readFileSync(path.join(root, current), 'utf8');
    for (const match of text.matchAll(/^import\s+(?!type\s)(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) {
      const names = /\{([^}]*)\}/.exec(match[0])?.[1];
      // `import { type A, type B } from` is erased too.
      if (names !== undefined && names.split(',').every((name) => name.trim() === '' || name.trim().startsWith('type '))) continue;
      const specifier = match[1] as string;
      if (!specifier.startsWith('.')) {
        if (!specifier.startsWith('node:')) packages.add(specifier.split('/')[0] as string);
        continue;
      }
      const resolved = path.normalize(path.join(path.dirname(current), specifier));
      const target = [`${resolved}.ts`, path.join(resolved, 'index.ts')].find((candidate) => fs.existsSync(path.join(root, candidate)));
      if (target === undefined) throw new Error(`${current}: cannot resolve ${specifier}`);
      visit(target);
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
