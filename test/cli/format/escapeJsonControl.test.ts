import { escapeJsonControl } from '../../../src/cli/format/escapeJsonControl';

describe('escapeJsonControl', () => {
  it.each([
    ['a C1 control in a string', '{"id":"a\u009b31m"}', '{"id":"a\\u009b31m"}'],
    ['a bidirectional override in a string', '{"id":"a\u202eb\u2066"}', '{"id":"a\\u202eb\\u2066"}'],
    ['DEL in a string', '{"id":"a\u007f"}', '{"id":"a\\u007f"}'],
    ['pretty-printed whitespace', '{\n\t"id": "a",\r\n"n": 1\n}', '{  "id": "a",  "n": 1 }'],
  ])('escapes %s, keeping the JSON value', (_name, json, escaped) => {
    expect(escapeJsonControl(json)).toBe(escaped);
    expect(JSON.parse(escapeJsonControl(json))).toEqual(JSON.parse(json));
  });

  it('leaves text without control characters as it is', () => {
    const json = '{"id":"chatcmpl-1","content":"héllo ✓"}';
    expect(escapeJsonControl(json)).toBe(json);
  });
});
