import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as t from 'io-ts';
import { openEnum } from '../../../src/internal/codecs/openEnum';
import { otherThan } from '../../../src/internal/codecs/otherThan';
import { struct } from '../../../src/internal/codecs/struct';
import { compileGuard } from '../../../src/internal/decode/compileGuard';

/** Values that tell the kinds of codec apart, JSON or not. */
const values: unknown[] = [
  undefined,
  null,
  0,
  -0,
  1.5,
  Number.NaN,
  '',
  'a',
  'stop',
  true,
  false,
  [],
  ['a'],
  [1, 'a'],
  {},
  { a: 'x' },
  { a: 1 },
  { a: undefined },
  { a: 'x', b: 1 },
  { a: 'x', b: 'y' },
  { a: null, b: null },
  { 'we"ird\nkey': 'x', __proto__: null },
  Object.create({ a: 'inherited' }) as unknown,
  Object.assign(Object.create(null) as object, { a: 'x' }),
  new Date(0),
];

const codecs: Array<[string, t.Any]> = [
  ['string', t.string],
  ['number', t.number],
  ['boolean', t.boolean],
  ['null', t.null],
  ['unknown', t.unknown],
  ['UnknownArray', t.UnknownArray],
  ['UnknownRecord', t.UnknownRecord],
  ['literal string', t.literal('stop')],
  ['literal number', t.literal(0)],
  ['literal boolean', t.literal(false)],
  ['openEnum', openEnum(['stop'], 'Reason')],
  ['otherThan', otherThan(['stop'], 'Other')],
  ['keyof', t.keyof({ stop: null, a: null })],
  ['refinement', t.Int],
  ['union', t.union([t.string, t.null])],
  ['union of objects', t.union([t.type({ a: t.string }), t.type({ a: t.number })])],
  ['array', t.array(t.string)],
  ['array of unions', t.array(t.union([t.string, t.number]))],
  ['type', t.type({ a: t.string })],
  ['type with an unknown field', t.type({ a: t.unknown })],
  ['partial', t.partial({ a: t.string, b: t.number })],
  ['record', t.record(t.string, t.string)],
  ['record of unknown', t.record(t.string, t.unknown)],
  ['record over literal keys', t.record(t.literal('a'), t.string)],
  ['struct', struct({ a: t.string }, { b: t.number }, 'S')],
  ['struct with an unknown required field', struct({ a: t.unknown }, {}, 'S')],
  ['struct with an odd key', struct({ 'we"ird\nkey': t.string }, {}, 'S')],
  ['nested', struct({ a: t.array(struct({ b: t.union([t.null, t.record(t.string, t.string)]) }, {}, 'Inner')) }, {}, 'Outer')],
];

describe('compileGuard', () => {
  it.each(codecs)('agrees with io-ts on every value: %s', (_, codec) => {
    const guard = compileGuard(codec);
    for (const value of values) expect([value, guard(value)]).toEqual([value, codec.is(value)]);
  });

  it('agrees on nested values', () => {
    const Outer = codecs[codecs.length - 1]![1];
    const guard = compileGuard(Outer);
    const cases = [{ a: [] }, { a: [{ b: null }] }, { a: [{ b: { k: 'v' } }] }, { a: [{ b: { k: 1 } }] }, { a: [{}] }, { a: [null] }, { a: {} }];
    for (const value of cases) expect([value, guard(value)]).toEqual([value, Outer.is(value)]);
  });

  it('checks the holes of a sparse array, as decode does, where io-ts `is` skips them', () => {
    const Strings = t.array(t.string);
    // eslint-disable-next-line no-sparse-arrays
    const sparse = ['a', , 'b'];
    expect(compileGuard(Strings)(sparse)).toBe(false);
    expect(Strings.decode(sparse)._tag).toBe('Left');
  });

  it('compiles a codec once', () => {
    const codec = struct({ a: t.string }, {}, 'Once');
    expect(compileGuard(codec)).toBe(compileGuard(codec));
  });

  it('falls back on io-ts where code generation is forbidden (--disallow-code-generation-from-strings)', () => {
    // Runs against dist/, which `npm test` builds first (pretest).
    const script = `
      const { compileGuard } = require('./dist/internal/decode/compileGuard');
      const { ChatCompletionList } = require('./dist');
      const guard = compileGuard(ChatCompletionList);
      console.log(JSON.stringify([guard({ data: [], has_more: false }), guard({ data: [{}], has_more: false })]));
    `;
    const output = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script], {
      cwd: path.join(__dirname, '../../..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual([true, false]);
  });
});
