import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..', '..');

/** The package's entry points, as `package.json` `exports` names them, and their sources. */
export const ENTRY_POINTS = { 'rx-stored-completions': 'src/index.ts', 'rx-stored-completions/testing': 'src/testing.ts' } as const;

/** One export of an entry point: its name, kind, signature and the file that declares it. */
export interface ApiExport {
  readonly entry: string;
  readonly name: string;
  readonly kind: string;
  readonly signature: string;
  readonly declaredIn: string;
}

const FLAGS = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.WriteArrowStyleSignature;

/** The program of the entry points, compiled as `src/tsconfig.json` says. */
export function program(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'src', 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw new Error('src/tsconfig.json could not be read');
  return ts.createProgram(Object.values(ENTRY_POINTS).map((file) => path.join(root, file)), config.options);
}

function kindOf(symbol: ts.Symbol): string {
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Class) return 'class';
  if (flags & ts.SymbolFlags.Function) return 'function';
  if (flags & ts.SymbolFlags.Interface && flags & ts.SymbolFlags.Variable) return 'codec';
  if (flags & ts.SymbolFlags.Variable && flags & ts.SymbolFlags.TypeAlias) return 'codec';
  if (flags & ts.SymbolFlags.Variable) return 'const';
  if (flags & ts.SymbolFlags.Interface) return 'interface';
  if (flags & ts.SymbolFlags.TypeAlias) return 'type';
  return 'other';
}

/** The members of an interface or a class instance, one `name: type` per line, sorted. */
function membersOf(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): string[] {
  return checker
    .getPropertiesOfType(type)
    .filter((member) => !member.name.startsWith('#'))
    .map((member) => {
      const optional = member.flags & ts.SymbolFlags.Optional ? '?' : '';
      return `  ${member.name}${optional}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, at), at, FLAGS)}`;
    })
    .sort();
}

function signatureOf(checker: ts.TypeChecker, symbol: ts.Symbol, kind: string, at: ts.Node): string {
  const declared = symbol.declarations ?? [];
  const typeDeclaration = declared.find((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d) || ts.isClassDeclaration(d));
  const lines: string[] = [];
  if (kind === 'function' || kind === 'const' || kind === 'class') {
    const valueType = checker.getTypeOfSymbolAtLocation(symbol, at);
    if (kind === 'class') {
      for (const construct of valueType.getConstructSignatures()) lines.push(`new ${checker.signatureToString(construct, at, FLAGS)}`);
      for (const member of checker.getPropertiesOfType(valueType).filter((m) => m.name !== 'prototype')) {
        lines.push(`static ${member.name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, at), at, FLAGS)}`);
      }
    } else {
      lines.push(checker.typeToString(valueType, at, FLAGS));
    }
  }
  if (typeDeclaration !== undefined) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    if (ts.isTypeAliasDeclaration(typeDeclaration) && kind !== 'codec') lines.push(`= ${checker.typeToString(type, at, FLAGS | ts.TypeFormatFlags.InTypeAlias)}`);
    else lines.push('{', ...membersOf(checker, type, at), '}');
  }
  // Types are named as the reader of the `.d.ts` would see them, without the paths of the files they come from.
  return lines.join('\n').replace(/import\("[^"]*"\)\./g, '');
}

/** Every export of every entry point, in declaration order of the entry point. */
export function apiExports(): ApiExport[] {
  const built = program();
  const checker = built.getTypeChecker();
  const result: ApiExport[] = [];
  for (const [entry, file] of Object.entries(ENTRY_POINTS)) {
    const source = built.getSourceFile(path.join(root, file));
    if (source === undefined) throw new Error(`${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`${file} is not a module`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = symbol.declarations?.[0];
      const declaredIn = declaration === undefined ? '?' : path.relative(root, declaration.getSourceFile().fileName);
      const kind = kindOf(symbol);
      result.push({ entry, name: exported.name, kind, signature: signatureOf(checker, symbol, kind, source), declaredIn });
    }
  }
  return result;
}

/** The report: Markdown, one section per entry point, one code block per export. */
export function apiReport(exports: readonly ApiExport[]): string {
  const out = [
    '# The public API of rx-stored-completions',
    '',
    'Generated by `npm run api-report` and compared by `test/package/apiReport.test.ts`: a change here',
    'is a change of the contract, made on purpose. Everything else is under `src/internal/` and may',
    'change in any release.',
  ];
  for (const entry of Object.keys(ENTRY_POINTS)) {
    out.push('', `## ${entry}`);
    for (const item of exports.filter((e) => e.entry === entry)) {
      out.push('', `### ${item.name} (${item.kind})`, '', '```', item.signature, '```');
    }
  }
  return `${out.join('\n')}\n`;
}
