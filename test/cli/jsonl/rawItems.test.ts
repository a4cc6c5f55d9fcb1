import fc from 'fast-check';
import { rawItems } from '../../../src/cli/jsonl/rawItems';

const page = (data: string): string => `{"object":"list","data":${data},"first_id":null,"last_id":null,"has_more":false}`;

describe('rawItems', () => {
  it('slices each element of a compact page as the server wrote it', () => {
    expect(rawItems(page('[{"id":"a"},{"id":"b","n":1.0}]'))).toEqual(['{"id":"a"}', '{"id":"b","n":1.0}']);
  });

  it('keeps every digit of integers above 2^53', () => {
    const [item] = rawItems(page('[{"id":"a","seed":4944116822809979520,"big":-123456789012345678901234567890e-3}]'));
    expect(item).toBe('{"id":"a","seed":4944116822809979520,"big":-123456789012345678901234567890e-3}');
    expect(JSON.stringify(JSON.parse(item ?? ''))).not.toContain('4944116822809979520');
  });

  it('returns an empty list for an empty data array, however spaced', () => {
    expect(rawItems(page('[]'))).toEqual([]);
    expect(rawItems(page('[ \n ]'))).toEqual([]);
  });

  it('is not fooled by escaped quotes and backslashes inside strings', () => {
    const items = [
      { id: 'q', text: 'she said "hi", then \\"left\\"' },
      { id: 'b', text: 'ends with a backslash \\' },
      { id: 'bb', text: '\\\\', brackets: '}]{[,:' },
      { id: 'u', text: 'caf\u00e9 \ud83d\ude00 \u2028 \u0000' },
    ];
    const raw = rawItems(page(JSON.stringify(items)));
    expect(raw).toEqual(items.map((item) => JSON.stringify(item)));
  });

  it('keeps escape sequences as written, \\u escapes included', () => {
    const item = String.raw`{"id":"e","text":"\u0041\n\"\\\/ \ud83d\ude00"}`;
    expect(rawItems(page(`[${item}]`))).toEqual([item]);
  });

  it('slices nested arrays and objects whole', () => {
    const item = '{"id":"n","choices":[{"message":{"content":[[1,[2,{}]],{"a":[]}]}}],"metadata":{}}';
    expect(rawItems(page(`[${item},${item}]`))).toEqual([item, item]);
  });

  it('takes the top-level data key, not one nested deeper', () => {
    const text = '{"meta":{"data":[{"id":"wrong"}]},"data":[{"id":"right","data":[{"id":"inner"}]}],"x":{"data":[]}}';
    expect(rawItems(text)).toEqual(['{"id":"right","data":[{"id":"inner"}]}']);
  });

  it('lets the last of duplicate data keys win, as JSON.parse does', () => {
    expect(rawItems('{"data":[{"id":"first"}],"data":[{"id":"last"}]}')).toEqual(['{"id":"last"}']);
  });

  it('recognises an escaped spelling of the data key', () => {
    expect(rawItems(String.raw`{"d\u0061ta":[1,2]}`)).toEqual(['1', '2']);
    expect(rawItems(String.raw`{"dat\"":[1],"data":[3]}`)).toEqual(['3']);
  });

  it('slices scalar elements', () => {
    expect(rawItems(page('[1, -2.5e+3 ,"s",true,false,null]'))).toEqual(['1', '-2.5e+3', '"s"', 'true', 'false', 'null']);
  });

  it('removes whitespace outside strings from a pretty-printed page, and only there', () => {
    const items = [{ id: 'p', text: 'two  spaces\tand\na newline', nested: { list: [1, 2, { deep: ' x ' }] } }];
    const pretty = JSON.stringify({ object: 'list', data: items, has_more: false }, null, 2).replace(/\n/g, '\r\n');
    const raw = rawItems(pretty);
    expect(raw).toEqual([JSON.stringify(items[0])]);
    expect(raw[0]).not.toMatch(/[\r\n]/);
  });

  it('keeps big integers in pretty-printed pages', () => {
    const pretty = '{\n  "data": [\n    {\n      "id": "x",\n      "seed": 4944116822809979520\n    }\n  ]\n}';
    expect(rawItems(pretty)).toEqual(['{"id":"x","seed":4944116822809979520}']);
  });

  it.each([
    ['a top-level array', '[{"id":"a"}]', /Expected "\{" at position 0/],
    ['an object without data', '{"object":"list"}', /found none/],
    ['an empty object', '{}', /found none/],
    ['data that is an object', '{"data":{"id":"a"}}', /Expected `data` to be an array/],
    ['an unterminated string', '{"data":[{"id":"a}]}', /Unterminated string/],
    ['an unterminated array', '{"data":[{"id":"a"}', /Unterminated|Expected/],
    ['truncated text', '{"data":[1,2', /Expected "," at position 12, found the end of the text/],
  ])('throws a SyntaxError for %s', (_name, text, message) => {
    expect(() => rawItems(text)).toThrow(SyntaxError);
    expect(() => rawItems(text)).toThrow(message);
  });

  it('agrees with JSON.parse on any JSON items, compact or indented', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.constantFrom(undefined, 1, 2, '\t'), fc.jsonValue(), (items, indent, other) => {
        const text = JSON.stringify({ other, data: items, more: { data: other } }, null, indent);
        const raw = rawItems(text);
        expect(raw).toHaveLength(items.length);
        raw.forEach((item, index) => {
          expect(item).toBe(JSON.stringify(items[index]));
        });
      }),
    );
  });
});
