import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULTS } from '../../src';
import { defaultAt, optionDocs, optionsPage } from './optionsPage';

const PAGE = path.join(__dirname, '..', '..', 'docs', 'options.md');
const options = optionDocs();

function leaves(value: unknown, at: string): string[] {
  return typeof value === 'object' && value !== null ? Object.entries(value).flatMap(([key, item]) => leaves(item, `${at}.${key}`)) : [at];
}

describe('docs/options.md', () => {
  it("is made from the options' TSDoc (`npm run options-page` writes it)", () => {
    const page = optionsPage(options);
    if (process.env['OPTIONS_PAGE'] === 'write') fs.writeFileSync(PAGE, page);
    expect(page).toBe(fs.readFileSync(PAGE, 'utf8'));
  });

  it('gives every option a @default', () => {
    expect(options.filter((o) => o.default === undefined).map((o) => `${o.owner}.${o.name}`)).toEqual([]);
  });

  it('names only paths DEFAULTS has', () => {
    const references = options.flatMap((o) => (o.default?.match(/DEFAULTS(\.\w+)+/g) ?? []));
    expect(references.filter((reference) => defaultAt(reference) === undefined)).toEqual([]);
  });

  it('states every default of DEFAULTS, through an option that takes it', () => {
    const references = options.flatMap((o) => (o.default?.match(/DEFAULTS(\.\w+)+/g) ?? []));
    const unstated = leaves(DEFAULTS, 'DEFAULTS').filter((leaf) => !references.some((reference) => leaf === reference || leaf.startsWith(`${reference}.`)));
    expect(unstated).toEqual([]);
  });
});
