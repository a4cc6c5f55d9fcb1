import { isLeft, isRight } from 'fp-ts/Either';
import * as t from 'io-ts';
import { formatValidationErrors } from '../../../src/internal/decode/formatValidationErrors';
import { openEnum } from '../../../src/internal/codecs/openEnum';
import { otherThan } from '../../../src/internal/codecs/otherThan';
import { struct } from '../../../src/internal/codecs/struct';

describe('openEnum', () => {
  const Color = openEnum(['red', 'green'], 'Color');

  it('accepts the known members and any other string, as themselves', () => {
    for (const value of ['red', 'green', 'ultraviolet', '']) expect(Color.decode(value)).toEqual({ _tag: 'Right', right: value });
  });

  it('rejects what is not a string', () => {
    for (const value of [1, null, undefined, ['red'], { red: true }]) expect(Color.is(value)).toBe(false);
  });

  it('keeps the known members and its name', () => {
    expect(Color.values).toEqual(['red', 'green']);
    expect(Color.name).toBe('Color');
  });

  it('types the known members and still allows others', () => {
    const known: t.TypeOf<typeof Color> = 'red';
    const other: t.TypeOf<typeof Color> = 'ultraviolet';
    expect([known, other]).toEqual(['red', 'ultraviolet']);
  });
});

describe('otherThan', () => {
  const UnknownKind = otherThan(['function', 'custom'], 'UnknownKind');

  it('accepts any string but the known ones', () => {
    expect(UnknownKind.is('web_search')).toBe(true);
    expect(UnknownKind.is('function')).toBe(false);
    expect(UnknownKind.is('custom')).toBe(false);
    expect(UnknownKind.is(3)).toBe(false);
  });

  it('names itself in errors', () => {
    const result = UnknownKind.decode('function');
    expect(isLeft(result) && formatValidationErrors(result.left)).toEqual(['(root): expected UnknownKind, got "function"']);
  });
});

describe('struct', () => {
  const Item = struct({ id: t.string }, { note: t.union([t.string, t.null]) }, 'Item');

  it('returns the very object given, unknown fields included', () => {
    const input = { id: 'a', note: null, extra: { deep: [1] } };
    const result = Item.decode(input);
    expect(isRight(result) && result.right).toBe(input);
  });

  it('accepts an optional field that is absent or undefined', () => {
    expect(Item.is({ id: 'a' })).toBe(true);
    expect(Item.is({ id: 'a', note: undefined })).toBe(true);
    expect(isRight(Item.decode({ id: 'a', note: undefined }))).toBe(true);
  });

  it('rejects a required field that is absent, and an optional one of the wrong type', () => {
    expect(Item.is({ note: 'n' })).toBe(false);
    expect(Item.is({ id: 'a', note: 1 })).toBe(false);
    const result = Item.decode({ note: 1 });
    expect(isLeft(result) && formatValidationErrors(result.left)).toEqual([
      'id: expected string, got undefined',
      'note: expected (string | null), got 1',
    ]);
  });

  it('reports a value that is not an object once', () => {
    for (const value of [null, [], 'a']) {
      const result = Item.decode(value);
      expect(isLeft(result) && result.left).toHaveLength(1);
    }
  });

  it('copies only when a field codec transforms its value, and then keeps the other fields', () => {
    const Trimmed = new t.Type<string, string, unknown>(
      'Trimmed',
      (u): u is string => typeof u === 'string',
      (u, c) => (typeof u === 'string' ? t.success(u.trim()) : t.failure(u, c)),
      t.identity,
    );
    const Note = struct({ id: t.string }, { text: Trimmed }, 'Note');
    const input = { id: 'a', text: ' hi ', extra: 1 };
    const result = Note.decode(input);
    expect(isRight(result) && result.right).toEqual({ id: 'a', text: 'hi', extra: 1 });
    expect(isRight(result) && result.right).not.toBe(input);
    expect(input.text).toBe(' hi ');
  });

  it('exposes its fields, so an extending schema can spread them', () => {
    const Extended = struct({ ...Item.required, n: t.number }, { ...Item.optional }, 'Extended');
    expect(Extended.is({ id: 'a', n: 1, note: 'x' })).toBe(true);
    expect(Extended.is({ id: 'a', note: 'x' })).toBe(false);
  });
});
