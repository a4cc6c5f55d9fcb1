import { decodeUtf8 } from '../../../src/internal/fetch/decodeUtf8';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('decodeUtf8', () => {
  it('decodes ASCII', () => {
    expect(decodeUtf8(utf8('{"id":"chatcmpl-1","n":1}'))).toBe('{"id":"chatcmpl-1","n":1}');
  });

  it('decodes text in any script, astral planes and combining marks included', () => {
    const text = '{"content":"🙂🙃😉 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 안녕하세요 καφέ cafe\u0301 機械学習 ü"}';
    expect(decodeUtf8(utf8(text))).toBe(text);
  });

  it('decodes text that fits Latin-1 but is not ASCII', () => {
    expect(decodeUtf8(utf8('{"name":"Zoë, café, ñ"}'))).toBe('{"name":"Zoë, café, ñ"}');
  });

  it('skips a leading byte order mark, as undici does', () => {
    expect(decodeUtf8(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"a":"é"}')]))).toBe('{"a":"é"}');
    expect(decodeUtf8(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{}')]))).toBe('{}');
  });

  it.each([
    ['a lone continuation byte', [0x22, 0x80, 0x22]],
    ['a truncated sequence', [0x22, 0xe2, 0x82, 0x22]],
    ['an encoded surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['a byte that is never UTF-8', [0x22, 0xc3, 0xa9, 0xff, 0x22]],
  ])('replaces malformed bytes with U+FFFD, as toString("utf8") does: %s', (_, bytes) => {
    const body = Buffer.from(bytes);
    expect(decodeUtf8(body)).toBe(body.toString('utf8'));
    expect(decodeUtf8(body)).toContain('\ufffd');
  });

  it('decodes an empty body to an empty string', () => {
    expect(decodeUtf8(Buffer.alloc(0))).toBe('');
  });
});
