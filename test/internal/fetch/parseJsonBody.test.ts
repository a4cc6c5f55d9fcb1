import fc from 'fast-check';
import { decodeUtf8 } from '../../../src/internal/fetch/decodeUtf8';
import { parseJsonBody } from '../../../src/internal/fetch/parseJsonBody';
import { serializeJson } from '../../helpers/serializeJson';

/** An item of about 70 KB: a page holding it is large enough to be parsed item by item. */
const FILLER = JSON.stringify({ id: 'filler', content: 'é 안녕 🙂 '.repeat(5_000) });
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** What JSON.parse makes of the whole body, keys in order; or the class of the error it throws. */
function wholeParse(body: Buffer): string {
  try {
    return JSON.stringify(JSON.parse(decodeUtf8(body)));
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

function splitParse(body: Buffer): string {
  try {
    return JSON.stringify(parseJsonBody(body));
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

describe('parseJsonBody', () => {
  afterEach(() => jest.restoreAllMocks());

  it('parses a large list page item by item, never making its whole text one string', () => {
    const text = `{"object":"list","data":[${FILLER},${FILLER},{"id":"b"}],"first_id":"filler","last_id":"b","has_more":false}`;
    const expected: unknown = JSON.parse(text);
    const parse = jest.spyOn(JSON, 'parse');
    expect(parseJsonBody(bytes(text))).toEqual(expected);
    const longest = Math.max(...parse.mock.calls.map(([source]) => source.length));
    expect(longest).toBeLessThan(text.length / 2);
  });

  it('parses what JSON.parse parses, in the same key order, whatever the key order and whitespace', () => {
    const item = fc.record({
      id: fc.string(),
      created: fc.integer(),
      content: fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('"', '\\', '\\"', '"]},{', 'é}', '🙂]')),
      tool_calls: fc.oneof(fc.constant(null), fc.array(fc.record({ id: fc.string(), arguments: fc.json() }), { maxLength: 3 })),
      seed: fc.oneof(fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true })),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), fc.boolean(), fc.integer(), fc.constantFrom('', ' ', '\n  ', '\t', '\r\n'), (data, hasMore, seed, space) => {
        const order = (keys: string[]): string[] => [...keys].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
        const page = { object: 'list', data: [...data, JSON.parse(FILLER) as unknown], last_id: data.at(-1)?.id ?? null, has_more: hasMore };
        const body = bytes(serializeJson(page, order, space));
        expect(splitParse(body)).toBe(wholeParse(body));
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['a byte order mark', `\ufeff{"data":[${FILLER}],"has_more":false}`],
    ['an empty data array beside a large field', `{"data":[],"other":${FILLER}}`],
    ['no data key', `{"items":[${FILLER}]}`],
    ['data that is no array', `{"data":${FILLER}}`],
    ['data named twice, the last winning', `{"data":[${FILLER}],"data":[1]}`],
    ['data named twice, the last empty', `{"data":[${FILLER}],"data":[]}`],
    ['data named a second time through an escape', `{"data":[${FILLER}],"d\\u0061ta":[]}`],
    ['data named only through an escape', `{"d\\u0061ta":[${FILLER}]}`],
    ['a key __proto__', `{"__proto__":{"x":1},"data":[${FILLER},{"__proto__":[]}]}`],
    ['scalars among the items', `{"data":[${FILLER}, 1 ,"two",null,true,[3]]}`],
    ['a top-level array', `[${FILLER}]`],
    ['text after the object', `{"data":[${FILLER}]} x`],
    ['a missing comma between items', `{"data":[${FILLER} {"a":1}]}`],
    ['a trailing comma', `{"data":[${FILLER},]}`],
    ['an item cut short', `{"data":[${FILLER},{"a":[}]}`],
    ['a bracket too many in an item', `{"data":[${FILLER},{"a":1}}]}`],
    ['a body cut short in a string', `{"data":[${FILLER},{"a":"b`],
    ['a body cut short in the envelope', `{"data":[${FILLER}],"has_more":`],
    ['a bare word among the items', `{"data":[${FILLER},nope]}`],
  ])('parses or refuses as JSON.parse does: %s', (_, text) => {
    const body = bytes(text);
    expect(splitParse(body)).toBe(wholeParse(body));
  });

  it.each([
    ['a lone continuation byte in an item', [0x80]],
    ['a sequence cut short at the end of an item string', [0xe2, 0x82]],
    ['a byte that is never UTF-8', [0xff]],
  ])('replaces malformed bytes with U+FFFD as the whole decoding does: %s', (_, malformed) => {
    const body = Buffer.concat([bytes(`{"data":[${FILLER},{"a":"x`), Buffer.from(malformed), bytes('"}]}')]);
    expect(splitParse(body)).toBe(wholeParse(body));
    expect(splitParse(body)).toContain('\ufffd');
  });

  it('refuses malformed bytes outside strings as JSON.parse does', () => {
    const body = Buffer.concat([bytes(`{"data":[${FILLER},`), Buffer.from([0xc3, 0xa9]), bytes(']}')]);
    expect(() => parseJsonBody(body)).toThrow(SyntaxError);
  });

  it('parses a small body whole', () => {
    expect(parseJsonBody(bytes('{"data":[{"id":"a"}],"has_more":false}'))).toEqual({ data: [{ id: 'a' }], has_more: false });
    expect(() => parseJsonBody(bytes('{"data":['))).toThrow(SyntaxError);
  });
});
