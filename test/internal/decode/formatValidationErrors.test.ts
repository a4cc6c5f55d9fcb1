import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import { formatValidationErrors } from '../../../src/internal/decode/formatValidationErrors';
import { openEnum } from '../../../src/internal/codecs/openEnum';
import { struct } from '../../../src/internal/codecs/struct';

function linesFor(codec: t.Mixed, input: unknown): string[] {
  const result = codec.decode(input);
  if (!isLeft(result)) throw new Error(`${codec.name} accepted ${JSON.stringify(input)}`);
  return formatValidationErrors(result.left);
}

const Item = t.type({ id: t.string, tags: t.array(t.string) }, 'Item');
const Page = t.type({ data: t.array(Item) }, 'Page');

describe('formatValidationErrors', () => {
  describe('paths', () => {
    it('starts at the decoded root, with indices in brackets', () => {
      expect(linesFor(Page, { data: [{ id: 'a', tags: [] }, { id: 'b', tags: ['x', 3] }] })).toEqual([
        'data[1].tags[1]: expected string, got 3',
      ]);
    });

    it('names a failure of the root "(root)"', () => {
      expect(linesFor(Page, 'oops')).toEqual(['(root): expected object, got "oops"']);
      expect(linesFor(t.array(t.string), 'oops')).toEqual(['(root): expected array, got "oops"']);
      expect(linesFor(t.string, 5)).toEqual(['(root): expected string, got 5']);
    });

    it('quotes keys that are not identifiers', () => {
      expect(linesFor(t.record(t.string, t.string), { 'a key': 1, $ok: 2, '0': 3 })).toEqual([
        '["0"]: expected string, got 3',
        '["a key"]: expected string, got 1',
        '$ok: expected string, got 2',
      ]);
    });

    it('leaves out the member entries of intersections', () => {
      const Both = t.intersection([t.type({ a: t.string }), t.type({ b: t.number })]);
      expect(linesFor(t.type({ x: Both }), { x: { a: 1, b: 'x' } })).toEqual([
        'x.a: expected string, got 1',
        'x.b: expected number, got "x"',
      ]);
    });

    it('leaves out the member entries of unions', () => {
      const OneOf = t.union([t.type({ kind: t.literal('a'), n: t.number }), t.null]);
      expect(linesFor(t.type({ x: OneOf }), { x: { kind: 'a', n: 'one' } })).toEqual(['x.n: expected number, got "one"']);
    });
  });

  describe('expectations', () => {
    it('says "object" for structs, partials and records, and "string" for open enums', () => {
      const Codec = t.type({
        s: struct({ a: t.string }, {}, 'S'),
        p: t.partial({ a: t.string }),
        r: t.record(t.string, t.number),
        e: openEnum(['a'], 'E'),
      });
      expect(linesFor(Codec, { s: 1, p: 2, r: 3, e: 4 })).toEqual([
        's: expected object, got 1',
        'p: expected object, got 2',
        'r: expected object, got 3',
        'e: expected string, got 4',
      ]);
    });

    it('uses the codec name otherwise', () => {
      expect(linesFor(t.type({ k: t.literal('list') }), { k: 'page' })).toEqual(['k: expected "list", got "page"']);
      expect(linesFor(t.type({ b: t.boolean }), { b: null })).toEqual(['b: expected boolean, got null']);
    });

    it('uses a custom message when the codec gives one', () => {
      const errors: t.Errors = [{ value: 0, context: [{ key: '', type: t.number, actual: 0 }], message: 'must be positive' }];
      expect(formatValidationErrors(errors)).toEqual(['(root): must be positive']);
    });
  });

  describe('unions', () => {
    const Shape = t.union(
      [t.type({ kind: t.literal('circle'), r: t.number }), t.type({ kind: t.literal('square'), side: t.number })],
      'Shape',
    );

    it('gives one line with the union name when no member fits', () => {
      const AorB = t.union([t.type({ a: t.string }), t.type({ b: t.number })], 'AorB');
      expect(linesFor(t.type({ x: AorB }), { x: { c: 1 } })).toEqual(['x: expected AorB, got {"c":1}']);
      expect(linesFor(t.type({ x: AorB }), { x: 7 })).toEqual(['x: expected AorB, got 7']);
    });

    it('follows the member a tagged union picked by its tag, and names the union for an unknown tag', () => {
      expect(linesFor(t.type({ shape: Shape }), { shape: { kind: 'circle' } })).toEqual([
        'shape.r: expected number, got undefined',
      ]);
      expect(linesFor(t.type({ shape: Shape }), { shape: { kind: 'hexagon' } })).toEqual([
        'shape: expected Shape, got {"kind":"hexagon"}',
      ]);
    });

    it('reports inside the one member the value got into', () => {
      const MaybeShapes = t.union([t.null, t.array(Shape)], 'MaybeShapes');
      expect(linesFor(t.type({ shapes: MaybeShapes }), { shapes: [{ kind: 'square', side: 1 }, { kind: 'hexagon' }] })).toEqual([
        'shapes[1]: expected Shape, got {"kind":"hexagon"}',
      ]);
      expect(linesFor(t.type({ shapes: MaybeShapes }), { shapes: 'none' })).toEqual([
        'shapes: expected MaybeShapes, got "none"',
      ]);
    });

    it('reports a union at the root', () => {
      expect(linesFor(t.union([t.string, t.number]), true)).toEqual(['(root): expected (string | number), got true']);
    });

    it('reports each failing union of a list apart', () => {
      expect(linesFor(t.array(t.union([t.string, t.null])), ['a', 1, null, 2])).toEqual([
        '[1]: expected (string | null), got 1',
        '[3]: expected (string | null), got 2',
      ]);
    });
  });

  describe('values', () => {
    const At = t.type({ v: t.boolean });
    const got = (v: unknown): string => linesFor(At, { v })[0]!.replace('v: expected boolean, got ', '');

    it('shows scalars as JSON, and what JSON cannot show as JavaScript', () => {
      expect(got('x')).toBe('"x"');
      expect(got(1.5)).toBe('1.5');
      expect(got(null)).toBe('null');
      expect(got(undefined)).toBe('undefined');
      expect(got(NaN)).toBe('NaN');
      expect(got(10n)).toBe('10n');
      expect(got([1, undefined, 'a'])).toBe('[1,null,"a"]');
      expect(got({ a: undefined, b: 1 })).toBe('{"b":1}');
    });

    it('cuts long values to 40 characters', () => {
      expect(got('x'.repeat(1000))).toBe(`"${'x'.repeat(38)}…`);
      expect(got({ message: 'y'.repeat(100), more: 1 })).toBe(`{"message":"${'y'.repeat(27)}…`);
      expect(got(Array.from({ length: 100_000 }, (_, i) => i))).toBe('[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,…');
      expect(got('x'.repeat(38))).toBe(`"${'x'.repeat(38)}"`);
    });

    it('stops on a cyclic value', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      expect(got(cyclic)).toBe('{"self":{"self":{"self":{"self":{"self"…');
    });
  });

  it('reports identical lines once', () => {
    const entry = (key: string): t.ContextEntry => ({ key, type: t.string, actual: 1 });
    const root: t.ContextEntry = { key: '', type: t.type({ a: t.string }), actual: { a: 1 } };
    const errors: t.Errors = [
      { value: 1, context: [root, entry('a')] },
      { value: 1, context: [root, entry('a')] },
    ];
    expect(formatValidationErrors(errors)).toEqual(['a: expected string, got 1']);
  });

  it('returns nothing for no errors', () => {
    expect(formatValidationErrors([])).toEqual([]);
  });
});
