import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository's root, which every path below is relative to. */
const root = path.join(__dirname, '..', '..');

/** One module a source file loads: by a static `import`, or by `require()` / `import()` when it runs. */
export interface SourceImport {
  /** As written: `'../errors'`, `'rxjs'`. */
  readonly specifier: string;
  /** The file a relative specifier resolves to, from the root (`src/errors.ts`); `undefined` for a package. */
  readonly target: string | undefined;
  /** `import` for a static import; `require` for `require()` and `import()`, which load only when they run. */
  readonly kind: 'import' | 'require';
  /** The names a static import takes, without `type` or an alias; `['*']` for any other form. */
  readonly names: readonly string[];
  /** Whether the compiled code drops it: `import type`, or braces of `type` names only. */
  readonly erased: boolean;
}

/**
 * The modules a TypeScript file of this repository loads, read from its text: static imports
 * (on their own lines, as the formatter writes them), `require('…')` and `import('…')`.
 *
 * @param file The file, from the root: `src/cli/main.ts`.
 * @returns Each import, in the order of the text.
 * @throws {Error} for a relative specifier that names no file.
 */
export function sourceImports(file: string): SourceImport[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const statics = [...text.matchAll(/^import\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?'([^']+)'/gm)].map((match): SourceImport => {
    const braces = /\{([^}]*)\}/.exec(match[2] ?? '')?.[1];
    const items = (braces ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
    return {
      specifier: match[3] as string,
      target: resolve(file, match[3] as string),
      kind: 'import',
      names: braces === undefined ? ['*'] : items.map((item) => item.replace(/^type\s+/, '').split(/\s+as\s+/)[0] as string),
      erased: match[1] !== undefined || (braces !== undefined && items.every((item) => item.startsWith('type '))),
    };
  });
  // Those of a comment (a TSDoc example) load nothing.
  const dynamic = [...text.matchAll(/^(?!\s*(?:\*|\/\/)).*\b(?:require|import)\(\s*'([^']+)'\s*\)/gm)].map(
    (match): SourceImport => ({ specifier: match[1] as string, target: resolve(file, match[1] as string), kind: 'require', names: ['*'], erased: false }),
  );
  return [...statics, ...dynamic];
}

function resolve(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const resolved = path.normalize(path.join(path.dirname(file), specifier));
  const target = [`${resolved}.ts`, path.join(resolved, 'index.ts')].find((candidate) => fs.existsSync(path.join(root, candidate)));
  if (target === undefined) throw new Error(`${file}: cannot resolve ${specifier}`);
  return target;
}
