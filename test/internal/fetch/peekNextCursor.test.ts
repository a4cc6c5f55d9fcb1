import { peekNextCursor } from '../../../src/internal/fetch/peekNextCursor';

const peek = (text: string): string | undefined => peekNextCursor(Buffer.from(text));

describe('peekNextCursor', () => {
  it('reads last_id when has_more is true, compact or pretty-printed', () => {
    expect(peek('{"object":"list","data":[{"id":"a"}],"first_id":"a","last_id":"a","has_more":true}')).toBe('a');
    expect(peek('{\n  "data": [],\n  "last_id" : "chatcmpl-9",\n  "has_more" : true\n}')).toBe('chatcmpl-9');
  });

  it('finds the keys after text in any script, and reads the id as UTF-8', () => {
    expect(peek('{"data":[{"id":"é","content":"🙂 안녕하세요 καφέ"}],"last_id":"é","has_more":true}')).toBe('é');
  });

  it.each([
    ['has_more is false', '{"data":[{"id":"a"}],"last_id":"a","has_more":false}'],
    ['last_id is null', '{"data":[{"id":"a"}],"last_id":null,"has_more":true}'],
    ['last_id is absent', '{"data":[{"id":"a"}],"has_more":true}'],
    ['has_more is absent', '{"data":[{"id":"a"}],"last_id":"a"}'],
    ['the id has an escape', '{"data":[],"last_id":"a\\\\"b","has_more":true}'],
    ['the body is not JSON', '<html>502 Bad Gateway</html>'],
  ])('says nothing when %s', (_, text) => {
    expect(peek(text)).toBeUndefined();
  });
});
