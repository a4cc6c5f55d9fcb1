import * as path from 'node:path';
import * as ts from 'typescript';
import { DEFAULTS } from '../../src';
import { program } from '../package/apiReport';

const root = path.join(__dirname, '..', '..');

/** The option types users pass, in the order of the page: each property is an option. */
export const OPTION_TYPES = [
  'ClientOptions',
  'AzureClientOptions',
  'TimeoutOptions',
  'RetryOptions',
  'RateLimitGateOptions',
  'RequestOptions',
  'WalkOptions',
  'ListOptions',
  'ProcessOptions',
  'WatchOptions',
  'BulkOptions',
  'WriteParquetOptions',
  'ListParams',
] as const;

/** One option: its type, where its TSDoc says its default is, and what it does. */
export interface OptionDoc {
  readonly owner: string;
  readonly name: string;
  readonly type: string;
  readonly summary: string;
  readonly default: string | undefined;
}

/** What `DEFAULTS.a.b` holds, or `undefined` when there is no such path. */
export function defaultAt(dotted: string): unknown {
  if (!dotted.startsWith('DEFAULTS.')) return undefined;
  let value: unknown = DEFAULTS;
  for (const key of dotted.slice('DEFAULTS.'.length).split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/** Every option of every type of {@link OPTION_TYPES}, read from the TSDoc of its declaration. */
export function optionDocs(): OptionDoc[] {
  const built = program();
  const checker = built.getTypeChecker();
  const source = built.getSourceFile(path.join(root, 'src/index.ts'));
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (source === undefined || moduleSymbol === undefined) throw new Error('src/index.ts is not in the program');
  const exports = new Map(checker.getExportsOfModule(moduleSymbol).map((symbol) => [symbol.name, checker.getAliasedSymbol(symbol)]));
  return OPTION_TYPES.flatMap((owner) => {
    const symbol = exports.get(owner);
    if (symbol === undefined) throw new Error(`${owner} is not exported`);
    const declared = symbol.declarations?.[0];
    if (declared === undefined || !ts.isInterfaceDeclaration(declared)) throw new Error(`${owner} is not an interface`);
    return declared.members.filter(ts.isPropertySignature).map((member) => {
      const property = checker.getSymbolAtLocation(member.name);
      if (property === undefined) throw new Error(`${owner}: a member without a symbol`);
      const tag = property.getJsDocTags(checker).find((t) => t.name === 'default');
      const type = member.type === undefined ? 'unknown' : member.type.getText().replace(/\s*\|\s*undefined$/, '').replace(/\s+/g, ' ');
      return {
        owner,
        name: property.name,
        type,
        summary: ts.displayPartsToString(property.getDocumentationComment(checker)).replace(/\{@link (\w+)\}/g, '`$1`').replace(/\s+/g, ' ').trim(),
        default: tag === undefined ? undefined : ts.displayPartsToString(tag.text).replace(/\s+/g, ' ').trim(),
      };
    });
  });
}

function shownDefault(text: string | undefined): string {
  if (text === undefined) return '';
  return text.replace(/DEFAULTS(\.\w+)+/g, (reference) => {
    const value = defaultAt(reference);
    return `\`${typeof value === 'object' ? JSON.stringify(value) : String(value)}\` (\`${reference}\`)`;
  });
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The options page, `docs/options.md`, made from the TSDoc of every option. */
export function optionsPage(options: readonly OptionDoc[]): string {
  const out = [
    '# Options',
    '',
    'Every option of the library, its type, its default and what it does, in one place. The page is',
    "made from each option's TSDoc (`npm run options-page`), and a test holds it equal to that TSDoc",
    'and to `DEFAULTS`, the one object every default of the client lives in: a default shown as',
    '`value` (`DEFAULTS.x`) is read from it when the page is made.',
  ];
  for (const owner of OPTION_TYPES) {
    out.push('', `## \`${owner}\``, '', '| Option | Type | Default | What it does |', '| --- | --- | --- | --- |');
    for (const option of options.filter((o) => o.owner === owner)) {
      out.push(`| \`${option.name}\` | \`${cell(option.type)}\` | ${cell(shownDefault(option.default))} | ${cell(option.summary)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
