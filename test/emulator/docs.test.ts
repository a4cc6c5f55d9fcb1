import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The jest example of docs/emulator.md cannot run as a script (the docs' other examples do, in
// test/docs), so it is kept as a test of its own, docsExample.test.ts; this keeps the two equal.
describe('docs/emulator.md', () => {
  it('shows docsExample.test.ts verbatim, importing from the package', () => {
    const docs = readFileSync(join(__dirname, '../../docs/emulator.md'), 'utf8');
    const example = readFileSync(join(__dirname, 'docsExample.test.ts'), 'utf8');
    const blocks = [...docs.matchAll(/```ts no-run\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toContain(example.replace("from '../../src/testing'", "from 'rx-stored-completions/testing'"));
  });
});
