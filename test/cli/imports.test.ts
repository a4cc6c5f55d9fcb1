import * as fs from 'node:fs';
import * as path from 'node:path';
import { sourceImports, type SourceImport } from '../helpers/sourceImports';

const root = path.join(__dirname, '..', '..');

/**
 * The internal modules the CLI may import, each for a job the public API does not do: the CLI
 * parses flags into the values `createClient` takes and prints what users asked for, so that
 * `src/cli` proves the public API is enough for everything else.
 */
const ALLOWED_INTERNALS = new Set([
  // `--base-url`: the same check and message as `createClient`'s `baseURL`, and whether a key is needed.
  'src/internal/client/baseURL.ts',
  // `--azure-endpoint` and `--api-version`: the same checks as the `azure` option.
  'src/internal/client/resolveAzure.ts',
  // HTTP(S)_PROXY and NO_PROXY for the CLI's own dispatcher.
  'src/internal/fetch/proxyFromEnv.ts',
  // `delete` and `tag` tell the failures a rerun may fix from those it would repeat, as retries do.
  'src/internal/retry/isRetryable.ts',
  // `--max-wait` reads a duration as the API writes them (500ms, 5s, 1m30s).
  'src/internal/retry/parseDuration.ts',
  // The proxy variables whose credentials the CLI masks, without loading undici at start-up.
  'src/internal/fetch/proxyUrlVariables.ts',
  // Masks the secrets of flags and variables in the CLI's own messages.
  'src/internal/redact/Redactor.ts',
  // `--since`/`--until` decide per page where the lossless export reads raw pages.
  'src/internal/walk/createdWindowStep.ts',
  // `rxsc tag` checks pairs against the API's limits before any request.
  'src/internal/metadata/metadataLimits.ts',
  // `export --format parquet` writes each completion's text as the server sent it, where
  // `writeParquet` has only the decoded value, into the file `writeParquet` writes.
  'src/internal/parquet/ParquetFile.ts',
  'src/internal/parquet/completionColumns.ts',
  // `sync --format parquet` writes the same rows into the archive's own durable files.
  'src/internal/parquet/rowGroupWriter.ts',
  // The lossless export scans raw JSON with the character codes the library's own scanners use.
  'src/internal/json/jsonChars.ts',
  // `rxsc sync` walks raw pages (for lossless lines) with the walk that survives ties reordered between calls,
  // each page peeked before it is decoded, so that the next request leaves first.
  'src/internal/walk/settledWalk.ts',
  'src/internal/core/peekablePage.ts',
  // `rxsc tail` is `watch()` over raw pages, for lossless lines.
  'src/internal/watch/watchList.ts',
]);

function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

interface CliImport extends SourceImport {
  readonly from: string;
  readonly target: string;
}

/** The imports of `file` that name one of our files. */
function importsOf(file: string): CliImport[] {
  return sourceImports(file).flatMap((found) => (found.target === undefined ? [] : [{ ...found, from: file, target: found.target }]));
}

describe('the CLI', () => {
  const imports = filesUnder('src/cli').flatMap(importsOf);
  const outside = imports.filter((i) => !i.target.startsWith('src/cli/') && !i.target.startsWith('src/emulator/'));

  it('imports from src/internal/ only the allowed modules', () => {
    const internal = outside.filter((i) => i.target.startsWith('src/internal/') && !ALLOWED_INTERNALS.has(i.target));
    expect(internal.map((i) => `${i.from} → ${i.target}`)).toEqual([]);
  });

  it('imports from the library only names the package exports', () => {
    // The names of the checked-in API report, which its own test holds equal to the entry points.
    const report = fs.readFileSync(path.join(root, 'test/package/api-report.md'), 'utf8');
    const published = new Set([...report.matchAll(/^### (\w+) \(/gm)].map((match) => match[1]));
    const unpublished = outside
      .filter((i) => !i.target.startsWith('src/internal/'))
      .flatMap((i) => i.names.filter((name) => !published.has(name)).map((name) => `${i.from}: ${name} from ${i.target}`));
    expect(unpublished).toEqual([]);
  });

  it('finds the imports it checks', () => {
    expect(outside.length).toBeGreaterThan(20);
  });
});
