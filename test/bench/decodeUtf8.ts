/**
 * `node dist/bench/decodeUtf8.js`: whether decodeUtf8's hand-written path (Latin-1 for pure
 * ASCII, simdutf's transcode to UTF-16 otherwise) still beats `toString('utf8')` and
 * `TextDecoder`, on forty list pages of 100 completions from the emulator (text in many scripts).
 * Each way runs over every page, interleaved with the others, fifteen times; prints the median
 * milliseconds per page, decoding alone and decoding then `JSON.parse`.
 */
import { isAscii, transcode } from 'node:buffer';
import { startEmulator } from 'rx-stored-completions/testing';

const ROUNDS = 15;

async function pages(): Promise<Buffer[]> {
  const emulator = await startEmulator({ count: 4_000, seed: 1 });
  try {
    const bodies: Buffer[] = [];
    let after: string | undefined;
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${emulator.url}/chat/completions?limit=100${after === undefined ? '' : `&after=${after}`}`);
      const body = Buffer.from(await response.arrayBuffer());
      bodies.push(body);
      after = (JSON.parse(body.toString('utf8')) as { last_id: string }).last_id;
    }
    return bodies;
  } finally {
    await emulator.close();
  }
}

async function main(): Promise<void> {
  const bodies = await pages();
  const textDecoder = new TextDecoder();
  const ways: Record<string, (body: Buffer) => string> = {
    "decodeUtf8's path": (body) => (isAscii(body) ? body.toString('latin1') : transcode(body, 'utf8', 'ucs2').toString('ucs2')),
    "toString('utf8')": (body) => body.toString('utf8'),
    TextDecoder: (body) => textDecoder.decode(body),
  };
  const decode = new Map<string, number[]>();
  const parse = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, way] of Object.entries(ways)) {
      let started = performance.now();
      for (const body of bodies) way(body);
      decode.set(name, [...(decode.get(name) ?? []), (performance.now() - started) / bodies.length]);
      started = performance.now();
      for (const body of bodies) JSON.parse(way(body));
      parse.set(name, [...(parse.get(name) ?? []), (performance.now() - started) / bodies.length]);
    }
  }
  const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const kb = bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length / 1024;
  process.stdout.write(`${bodies.length} pages of ${kb.toFixed(0)} KB, ${bodies.filter((body) => isAscii(body)).length} pure ASCII\n`);
  for (const name of Object.keys(ways)) {
    process.stdout.write(`${name.padEnd(20)} decode ${median(decode.get(name) ?? []).toFixed(3)} ms/page, decode + JSON.parse ${median(parse.get(name) ?? []).toFixed(3)} ms/page\n`);
  }
}

void main();
