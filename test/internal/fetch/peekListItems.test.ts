import fc from 'fast-check';
import { peekListItems } from '../../../src/internal/fetch/peekListItems';
import { serializeJson } from '../../helpers/serializeJson';

const peek = (text: string) => peekListItems(Buffer.from(text));

describe('peekListItems', () => {
  it('reads each item’s id and created, and has_more, from a compact page', () => {
    const text = '{"object":"list","data":[{"id":"a","created":1},{"created":2,"id":"b"}],"first_id":"a","last_id":"b","has_more":true}';
    expect(peek(text)).toEqual({ items: [{ id: 'a', created: 1 }, { id: 'b', created: 2 }], hasMore: true });
  });

  it('is not fooled by nested ids, keys inside strings, escaped quotes or text in any script', () => {
    const item = {
      id: 'chatcmpl-é',
      created: 1_704_067_200,
      choices: [{ message: { content: '"id":"fake" \\" }] 🙂 안녕', tool_calls: [{ id: 'call_1', created: 5 }] } }],
      metadata: { id: 'not-this', has_more: 'false' },
    };
    const text = JSON.stringify({ data: [item], has_more: false, object: 'list' }, null, 2);
    expect(peek(text)).toEqual({ items: [{ id: 'chatcmpl-é', created: 1_704_067_200 }], hasMore: false });
  });

  it('reads what JSON.parse reads, whatever the key order and whitespace', () => {
    const item = fc.record({
      id: fc.string({ minLength: 1 }).filter((id) => !JSON.stringify(id).includes('\\')),
      created: fc.integer({ min: 0, max: 2 ** 40 }),
      model: fc.string(),
      choices: fc.array(fc.record({ id: fc.string(), content: fc.string() })),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.boolean(), fc.integer(), fc.constantFrom('', ' ', '\n  ', '\t'), (data, hasMore, seed, space) => {
        const order = (keys: string[]): string[] => [...keys].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
        const text = serializeJson({ object: 'list', data, last_id: data.at(-1)?.id ?? null, has_more: hasMore }, order, space);
        const parsed = JSON.parse(text) as { data: Array<{ id: string; created: number }>; has_more: boolean };
        expect(peek(text)).toEqual({ items: parsed.data.map(({ id, created }) => ({ id, created })), hasMore: parsed.has_more });
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['an id has an escape', '{"data":[{"id":"a\\"b","created":1}],"has_more":true}'],
    ['an item has no created', '{"data":[{"id":"a"}],"has_more":true}'],
    ['an item has no id', '{"data":[{"created":1}],"has_more":true}'],
    ['created is no integer', '{"data":[{"id":"a","created":1.5}],"has_more":true}'],
    ['an item is not an object', '{"data":[["a",1]],"has_more":true}'],
    ['has_more is absent', '{"data":[{"id":"a","created":1}]}'],
    ['has_more is no boolean', '{"data":[{"id":"a","created":1}],"has_more":"true"}'],
    ['the body is cut short', '{"data":[{"id":"a","created":1}],"has_more":true'],
    ['a string is never closed', '{"data":[{"id":"a'],
    ['the body is not JSON', '<html>502 Bad Gateway</html>'],
  ])('says nothing when %s', (_, text) => {
    expect(peek(text)).toBeUndefined();
  });
});
