import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The package as a user gets it from a fresh clone: the files git would check out (tracked, or new
// and not ignored) copied to a directory of their own, with our node_modules in place of `npm ci`;
// there `npm pack`, whose `prepack` builds dist/ from scratch (no stale file of an old build is
// shipped), and `npm install --install-links <clone>` into a project that has its own rxjs,
// offline, with scripts allowed: the package must run none when installed.
//
// The project's rxjs is ours under another version number, 7.8.0. npm shares an identical version
// anyway; two copies of rxjs came from an app whose rxjs the library's own range did not accept (a
// `dependencies` entry of ^7.8.2 against an app on 7.8.0). A peer range accepts it, so npm installs
// no second copy, and the library's Observables are the app's.
//
// The other dependencies stand in for the registry: tarballs made from our node_modules, without
// the builds the checks do not load, so that nothing is downloaded and the install stays fast. The
// install gets an empty cache of its own: a dependency without a stand-in then fails here on every
// machine, not only on one whose npm cache happens not to hold it.

const root = path.join(__dirname, '../..');
const modules = path.join(root, 'node_modules');

/** A generous bound: an npm pack, an npm install and three tsc runs, on a machine that may be busy with other work (over 120 s at a load of 14). */
const SETUP_TIMEOUT_MS = 240_000;

/** What each stand-in tarball leaves out. */
const STAND_INS: Readonly<Record<string, readonly string[]>> = {
  undici: [],
  'io-ts': ['es6'],
  'fp-ts': ['es6', 'src'],
  tslib: [],
  hyparquet: [],
  'hyparquet-writer': [],
};
const RXJS_LEFT_OUT = ['src', 'dist/esm', 'dist/esm5', 'dist/bundles'];
const CONSUMER_RXJS_VERSION = '7.8.0';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

async function mustRun(file: string, args: readonly string[], cwd: string): Promise<string> {
  const outcome = await run(file, args, cwd);
  if (outcome.code !== 0) throw new Error(`${path.basename(file)} ${args.join(' ')} exited with ${String(outcome.code)}\n${outcome.stderr}${outcome.stdout}`);
  return outcome.stdout;
}

/** A tarball of `node_modules/name` as npm lays one out (`package/…`), minus `leftOut`. */
async function tarOf(name: string, leftOut: readonly string[], into: string, extra?: { readonly dir: string; readonly file: string }): Promise<string> {
  const tarball = path.join(into, `${name}.tar`);
  const excludes = leftOut.map((entry) => `--exclude=${name}/${entry}`);
  if (extra !== undefined) excludes.push(`--exclude=${name}/${extra.file}`);
  await mustRun('tar', ['-cf', tarball, '-C', modules, ...excludes, `--transform=s,^${name},package,`, name], into);
  if (extra !== undefined) await mustRun('tar', ['-rf', tarball, '-C', extra.dir, '--transform=s,^,package/,', extra.file], into);
  return tarball;
}

/** The consumer's source: both entry points, their types checked for real (an `any` would pass). */
const CONSUMER_TS = `
import { createClient, DEFAULTS, type ChatCompletion } from 'rx-stored-completions';
import { startEmulator, EMULATOR_DEFAULTS, type EmulatorHandle } from 'rx-stored-completions/testing';
import { Observable } from 'rxjs';

export const completions: Observable<ChatCompletion> = createClient({ baseURL: 'http://127.0.0.1:9/v1' }).chat.completions.list();
export const pageLimit: number = DEFAULTS.pageLimit;
export const count: number = EMULATOR_DEFAULTS.count;
export const started: Promise<EmulatorHandle> = startEmulator({ count: 1 });
// @ts-expect-error: a typed entry point refuses a count that is not a number
startEmulator({ count: 'many' });
// @ts-expect-error: a typed entry point refuses an unknown option
createClient({ baseUrl: 'http://127.0.0.1:9/v1' });
`;

/** The checks at run time, in the consumer's directory, with its own rxjs. */
const CONSUMER_CHECK = `
const path = require('node:path');
const { defer, of, throwError, Observable } = require('rxjs');
const { TestScheduler } = require('rxjs/testing');
const lib = require('rx-stored-completions');
require('rx-stored-completions/testing');

let attempts = 0;
const failsOnce = defer(() => (attempts++ === 0 ? throwError(() => new lib.APIConnectionError('reset')) : of('ok')));
let virtualTime = false;
new TestScheduler((actual, expected) => {
  virtualTime = JSON.stringify(actual) === JSON.stringify(expected);
}).run(({ expectObservable }) => {
  expectObservable(failsOnce.pipe(lib.retryBackoff({ ...lib.DEFAULTS.retry, jitterRatio: 0 }))).toBe('500ms (a|)', { a: 'ok' });
});

console.log(JSON.stringify({
  sameObservable: lib.createClient({ baseURL: 'http://127.0.0.1:9/v1' }).chat.completions.list() instanceof Observable,
  virtualTime,
  libraryRxjs: require.resolve('rxjs', { paths: [path.dirname(require.resolve('rx-stored-completions'))] }),
  consumerRxjs: require.resolve('rxjs'),
  rxjsVersion: require('rxjs/package.json').version,
}));
process.exit(0);
`;

const RESOLUTIONS = {
  node: { module: 'commonjs', files: ['consumer.ts'] },
  node16: { module: 'node16', files: ['consumer.ts', 'consumer.mts'] },
  bundler: { module: 'esnext', files: ['consumer.ts'] },
} as const;

describe('the packed package, installed in a project with its own rxjs', () => {
  let dir: string;
  let consumer: string;
  let packed: { name: string; files: string[]; packageJson: Record<string, unknown> };
  let installLog: string;
  const typechecks = new Map<string, Promise<Run>>();

  beforeAll(async () => {
    if (!fs.existsSync(path.join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxsc-consumer-'));
    consumer = path.join(dir, 'consumer');
    fs.mkdirSync(consumer);

    const clone = path.join(dir, 'clone');
    for (const file of (await mustRun('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], root)).split('\0')) {
      if (file === '' || !fs.existsSync(path.join(root, file))) continue;
      fs.mkdirSync(path.join(clone, path.dirname(file)), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(clone, file));
    }
    fs.symlinkSync(modules, path.join(clone, 'node_modules'), 'junction');
    const [packJson] = JSON.parse(await mustRun('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', dir], clone)) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    if (packJson === undefined) throw new Error('npm pack made no tarball');
    const tarball = path.join(dir, packJson.filename);
    await mustRun('tar', ['-xf', tarball, '-C', dir, 'package/package.json'], dir);
    packed = {
      name: tarball,
      files: packJson.files.map((file) => file.path),
      packageJson: JSON.parse(fs.readFileSync(path.join(dir, 'package/package.json'), 'utf8')) as Record<string, unknown>,
    };

    const relabelled = path.join(dir, 'relabelled');
    fs.mkdirSync(relabelled);
    const rxjsPackage = JSON.parse(fs.readFileSync(path.join(modules, 'rxjs/package.json'), 'utf8')) as Record<string, unknown>;
    const { devDependencies: _dev, scripts: _scripts, ...published } = rxjsPackage;
    fs.writeFileSync(path.join(relabelled, 'package.json'), JSON.stringify({ ...published, version: CONSUMER_RXJS_VERSION }));
    const dependencies: Record<string, string> = {
      'rx-stored-completions': `file:${clone}`,
      rxjs: `file:${await tarOf('rxjs', RXJS_LEFT_OUT, dir, { dir: relabelled, file: 'package.json' })}`,
    };
    for (const [name, leftOut] of Object.entries(STAND_INS)) dependencies[name] = `file:${await tarOf(name, leftOut, dir)}`;
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies }));
    installLog = await mustRun(
      'npm',
      ['install', '--install-links', '--foreground-scripts', '--offline', '--cache', path.join(dir, 'npm-cache'), '--no-audit', '--no-fund', '--no-package-lock'],
      consumer,
    );

    fs.writeFileSync(path.join(consumer, 'consumer.ts'), CONSUMER_TS);
    fs.writeFileSync(path.join(consumer, 'consumer.mts'), CONSUMER_TS);
    fs.writeFileSync(path.join(consumer, 'check.cjs'), CONSUMER_CHECK);
    for (const [resolution, { module, files }] of Object.entries(RESOLUTIONS)) {
      fs.writeFileSync(
        path.join(consumer, `tsconfig.${resolution}.json`),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module,
            moduleResolution: resolution,
            lib: ['ES2022'],
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            typeRoots: [path.join(modules, '@types')],
            types: ['node'],
          },
          files,
        }),
      );
      // The three run at once, while the other tests do.
      typechecks.set(resolution, run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', `tsconfig.${resolution}.json`, '--pretty', 'false'], consumer));
    }
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.allSettled(typechecks.values());
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('declares rxjs 7.8 or later as a peer, not as a dependency', () => {
    expect(packed.packageJson['peerDependencies']).toEqual({ rxjs: '^7.8.0' });
    expect(packed.packageJson['dependencies']).not.toHaveProperty('rxjs');
  });

  it('ships the built entry points and their declarations, the licence and the docs, nothing of the tests or the benchmark', () => {
    expect(packed.files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/testing.js', 'dist/testing.d.ts', 'dist/cli/main.js', 'LICENSE', 'README.md']),
    );
    expect(packed.files.filter((file) => !/^(dist\/.*\.(js|d\.ts)|docs\/[\w-]+\.md|package\.json|README\.md|LICENSE)$/.test(file))).toEqual([]);
  });

  it('ships every file the README and the docs link to', () => {
    const linked = ['README.md', ...packed.files.filter((file) => file.startsWith('docs/'))].flatMap((file) =>
      [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
        .map((match) => match[1] as string)
        .filter((target) => !/^[a-z]+:/.test(target))
        .map((target) => path.posix.normalize(path.posix.join(path.posix.dirname(file), target))),
    );
    expect(linked.length).toBeGreaterThan(10);
    expect([...new Set(linked)].filter((target) => !packed.files.includes(target))).toEqual([]);
  });

  it('runs no script when installed: none of the install lifecycle, and the build at pack time (prepack)', () => {
    const scripts = (packed.packageJson['scripts'] ?? {}) as Record<string, string>;
    expect(Object.keys(scripts).filter((name) => /^(pre|post)?(install|prepare)$/.test(name))).toEqual([]);
    expect(scripts['prepack']).toBe('npm run build');
    // With --foreground-scripts, npm prints `> rx-stored-completions@0.1.0 <script>` for each script it runs.
    expect(installLog).not.toMatch(/> rx-stored-completions@/);
    expect(fs.existsSync(path.join(consumer, 'node_modules/rx-stored-completions/binding.gyp'))).toBe(false);
  });

  it('installs rxsc, which runs', async () => {
    const version = (await mustRun(path.join(consumer, 'node_modules/.bin/rxsc'), ['--version'], consumer)).trim();
    expect(version).toBe(packed.packageJson['version']);
  });

  it('shares the project’s rxjs: one copy, the same Observable, the same virtual time', async () => {
    const seen = JSON.parse(await mustRun(process.execPath, ['check.cjs'], consumer)) as Record<string, unknown>;
    expect(seen).toEqual({
      sameObservable: true,
      virtualTime: true,
      libraryRxjs: path.join(fs.realpathSync(consumer), 'node_modules/rxjs/dist/cjs/index.js'),
      consumerRxjs: path.join(fs.realpathSync(consumer), 'node_modules/rxjs/dist/cjs/index.js'),
      rxjsVersion: CONSUMER_RXJS_VERSION,
    });
    expect(fs.existsSync(path.join(consumer, 'node_modules/rx-stored-completions/node_modules'))).toBe(false);
  });

  it.each(Object.keys(RESOLUTIONS))('typechecks both entry points under moduleResolution %s', async (resolution) => {
    const outcome = await typechecks.get(resolution);
    if (outcome === undefined) throw new Error(`no typecheck for ${resolution}`);
    expect(`${outcome.stdout}${outcome.stderr}`).toBe('');
    expect(outcome.code).toBe(0);
  }, SETUP_TIMEOUT_MS);
});
