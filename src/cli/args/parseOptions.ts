import { parseArgs } from 'node:util';
import { parseDuration } from '../../internal/retry/parseDuration';
import { UsageError } from '../UsageError';

/** One flag of a command: how `parseArgs` reads it and how `--help` describes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The flag may be repeated; its values are collected in order. */
  readonly multiple?: boolean;
  /** The placeholder of the value in `--help`, e.g. `N` or `FILE`. */
  readonly value?: string;
  /** A one-letter alias, `h` for `-h`. */
  readonly short?: string;
  /** One line for `--help`, default included. */
  readonly help: string;
}

/** The flags of a command, by long name without the dashes. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/**
 * Parses a command's arguments strictly: unknown flags, positional arguments
 * and missing values are {@link UsageError}s. The values stay strings; the
 * accessors of the result convert and check them, naming the flag in every
 * message, e.g. ``Expected `--limit` to be an integer from 1 to 100, got "0"``.
 *
 * ## Example
 * ```ts
 * const options = parseOptions(['--limit', '50'], { limit: { type: 'string', value: 'N', help: 'Page size' } });
 * options.integer('limit', 1, 100); // 50
 * ```
 *
 * @param args The arguments after the command name.
 * @param specs The command's flags.
 * @param positionals The names of the arguments the command takes besides flags (`['ID']`); none by default.
 * @returns The parsed options.
 * @throws {UsageError} for an unknown flag, a missing value, or positional arguments other than `positionals`.
 */
export function parseOptions(args: readonly string[], specs: OptionSpecs, positionals: readonly string[] = []): ParsedOptions {
  const options: Record<string, { type: 'string' | 'boolean'; multiple: boolean; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type, multiple: spec.multiple ?? false, ...(spec.short === undefined ? {} : { short: spec.short }) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: withNegativeValues(args, specs), options, strict: true, allowPositionals: positionals.length > 0 });
  } catch (error) {
    throw usageErrorOf(error, specs);
  }
  const values = parsed.values;
  if (values['help'] !== true && parsed.positionals.length !== positionals.length) {
    const expected = positionals.map((name) => `<${name}>`).join(' ');
    throw new UsageError(`Expected ${positionals.length === 1 ? 'one argument' : `${positionals.length} arguments`}, ${expected}, got ${parsed.positionals.length}`);
  }
  return new ParsedOptions(values, parsed.positionals);
}

/**
 * The arguments, with a value that looks like a negative number joined to
 * its flag (`--max -1` as `--max=-1`): `parseArgs` would take `-1` for a
 * flag, and the flag's own check says what is wrong with the value.
 */
function withNegativeValues(args: readonly string[], specs: OptionSpecs): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && specs[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/**
 * The usage error for what `parseArgs` refused, in one line of our own:
 * its messages span several lines and quote unevenly.
 */
function usageErrorOf(error: unknown, specs: OptionSpecs): unknown {
  // parseArgs reports usage mistakes as TypeErrors whose code starts with ERR_PARSE_ARGS.
  // Duck-typed, not `instanceof`: Node's internal errors may come from another realm (jest's VM).
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS') || typeof message !== 'string') return error;
  const flag = /['\s](--[\w-]+)/.exec(message)?.[1] ?? /'(-[^'\s,]*)/.exec(message)?.[1] ?? '';
  const name = flag.replace(/^-+/, '');
  switch (code) {
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      // Not echoed: a stray argument is often a key pasted without its `--api-key`.
      return new UsageError('Unexpected positional argument (not shown, in case it is a key): every value follows its --flag');
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`Unknown option ${JSON.stringify(flag)}${suggestion(name, specs)}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const spec = specs[name];
      if (spec?.type === 'boolean') return new UsageError(`\`--${name}\` takes no value`);
      const needs = `\`--${name}\` needs a value (${spec?.value ?? 'VALUE'})`;
      // "argument is ambiguous": the next argument starts with a dash, and may be a flag.
      return new UsageError(message.includes('ambiguous') ? `${needs}; give one that starts with a dash as \`--${name}=-…\`` : needs);
    }
    default:
      return new UsageError(message.split('\n')[0] ?? message);
  }
}

/** Flags users reach for that are spelled otherwise here. */
const ALIASES: Readonly<Record<string, string>> = {
  count: 'max',
  n: 'max',
  number: 'max',
  output: 'out',
  o: 'out',
  key: 'api-key',
  url: 'base-url',
  'base-uri': 'base-url',
  endpoint: 'azure-endpoint',
  retries: 'max-retries',
  dry: 'dry-run',
  force: 'yes',
  y: 'yes',
};

/** `; did you mean \`--max\`?` for a known alias or a near miss among the command's flags, else nothing. */
function suggestion(name: string, specs: OptionSpecs): string {
  if (name === 'version' || name === 'V') return ": the version is `rxsc --version`, before any command";
  const candidates = Object.keys(specs);
  const alias = ALIASES[name];
  if (alias !== undefined && candidates.includes(alias)) return `; did you mean \`--${alias}\`?`;
  const near = name.length < 3 ? undefined : candidates.find((candidate) => editDistance(name, candidate) <= 2);
  return near === undefined ? '' : `; did you mean \`--${near}\`?`;
}

/** The Levenshtein distance between two short strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

type Values = Readonly<Record<string, string | boolean | ReadonlyArray<string | boolean> | undefined>>;

/** The flags of one command line, with accessors that convert and check values. */
export class ParsedOptions {
  /**
   * @param values What `parseArgs` returned.
   * @param positionals The arguments that are not flags, in order (the `ID` of `rxsc get ID`).
   */
  constructor(
    private readonly values: Values,
    readonly positionals: readonly string[] = [],
  ) {}

  /** Whether a boolean flag was given. */
  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** Whether a flag was given at all. */
  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  /** A string flag's value; a given flag may not be empty. */
  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new Error(`--${name} is not declared as a single string option`);
    if (value === '') this.fail(name, 'a non-empty value', value);
    return value;
  }

  /** Every value of a repeatable string flag, in order. */
  strings(name: string): string[] {
    const value = this.values[name];
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new Error(`--${name} is not declared as a repeatable option`);
    return value.filter((item): item is string => typeof item === 'string');
  }

  /**
   * A positive duration flag, in milliseconds: as the API writes durations (`500ms`, `5s`, `2m`,
   * `1m30s`), or a whole number of milliseconds.
   */
  durationMs(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = /^\d+$/.test(text) ? Number(text) : parseDuration(text);
    if (!(value !== undefined && value > 0 && Number.isSafeInteger(Math.ceil(value)))) {
      this.fail(name, 'a positive duration such as 500ms, 5s or 2m', text);
    }
    return value;
  }

  /**
   * A size flag, in units of 1,024: a whole number followed by `k` (KiB) or `m` (MiB), such as
   * `512k` or `16m`, or `0`; at most `maxMib` MiB.
   */
  size(name: string, maxMib: number): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const match = /^(\d{1,9})([kKmM]?)$/.exec(text);
    const unit = match?.[2]?.toLowerCase();
    const value = match === null || (unit === '' && match[1] !== '0') ? Number.NaN : Number(match[1]) * (unit === 'm' ? 1024 * 1024 : 1024);
    if (!(value <= maxMib * 1024 * 1024)) this.fail(name, `a size such as 512k or 16m, at most ${maxMib}m`, text);
    return value;
  }

  /** An integer flag within `[min, max]`. */
  integer(name: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
      this.fail(name, max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`, text);
    }
    return value;
  }

  /** A decimal number flag within `[min, max]`. */
  number(name: string, min: number, max: number): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = /^-?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) this.fail(name, `a number from ${min} to ${max}`, text);
    return value;
  }

  /** A flag whose value must be one of `choices`. */
  choice<C extends string>(name: string, choices: readonly C[]): C | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const choice = choices.find((candidate) => candidate === text);
    if (choice === undefined) this.fail(name, choices.map((c) => `'${c}'`).join(' or '), text);
    return choice;
  }

  /**
   * Throws the usage error for a bad value of `--name`.
   *
   * @param name The flag, without dashes.
   * @param expected What it should be, e.g. `an integer from 1 to 100`.
   * @param got The value given.
   */
  fail(name: string, expected: string, got: string): never {
    throw new UsageError(`Expected \`--${name}\` to be ${expected}, got ${JSON.stringify(got)}`);
  }
}

/**
 * The options section of a `--help` text, one flag a line, aligned.
 *
 * @param specs The command's flags.
 * @returns The lines, each ending with `\n`.
 */
export function formatOptionsHelp(specs: OptionSpecs): string {
  const entries = Object.entries(specs).map(([name, spec]) => [
    `${spec.short === undefined ? '' : `-${spec.short}, `}--${name}${spec.value === undefined ? '' : ` ${spec.value}`}`,
    spec.help,
  ] as const);
  const width = Math.max(...entries.map(([flag]) => flag.length));
  return entries.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}\n`).join('');
}
