import path from 'node:path';
import ts from 'typescript';

/**
 * What an editor's hover shows for the values users meet most: the names of
 * the library's types, not the io-ts mapped types they are derived from.
 */
describe('named types', () => {
  it('an editor shows ChatCompletion, ChatCompletionMessage and ChatCompletionList by name', () => {
    const file = path.join(__dirname, '__hover__.ts');
    const source = [
      "import { createClient } from '../../src';",
      'const completions = createClient({ baseURL: "http://127.0.0.1:9/v1" }).chat.completions;',
      'completions.list().subscribe((completion) => completion);',
      'completions.messages.list("id").subscribe((message) => message);',
      'completions.pages().subscribe((page) => page);',
    ].join('\n');
    const host = ts.createCompilerHost({ strict: true });
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => (name === file ? source : readFile(name));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true }, host);
    const checker = program.getTypeChecker();
    const shown: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isArrowFunction(node)) shown.push(checker.typeToString(checker.getTypeAtLocation(node.body)));
      ts.forEachChild(node, visit);
    };
    visit(program.getSourceFile(file)!);
    expect(shown).toEqual(['ChatCompletion', 'ChatCompletionMessage', 'ChatCompletionList']);
  });
});
