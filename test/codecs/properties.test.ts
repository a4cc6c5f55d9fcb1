import { isRight } from 'fp-ts/Either';
import fc from 'fast-check';
import type * as t from 'io-ts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChatCompletion, ChatCompletionList, ChatCompletionMessageList } from '../../src';
import { ChatCompletionChoice } from '../../src/codecs/chatCompletion';
import { ChatCompletionResponseMessage } from '../../src/codecs/responseMessage';
import { CompletionUsage } from '../../src/codecs/completionUsage';
import { formatValidationErrors } from '../../src/internal/decode/formatValidationErrors';
import { compileGuard } from '../../src/internal/decode/compileGuard';

type Json = Record<string, unknown>;
const examplesDir = path.join(__dirname, '../fixtures/spec-examples');
const completion = (): Json =>
  JSON.parse(fs.readFileSync(path.join(examplesDir, 'getChatCompletion.response.json'), 'utf8')) as Json;

/** Keys the codecs know at the levels the test adds to: an unknown key is none of them. */
const knownKeys = new Set(
  [ChatCompletion, ChatCompletionChoice, ChatCompletionResponseMessage, CompletionUsage].flatMap((codec) => [
    ...Object.keys(codec.required),
    ...Object.keys(codec.optional),
  ]),
);
const addedFields = fc.dictionary(
  fc.string().filter((key) => !knownKeys.has(key)),
  fc.jsonValue(),
  { maxKeys: 5 },
);

/** Adds an own field, even one named `__proto__`, as JSON.parse would. */
function addField(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

describe('properties', () => {
  it('adding unknown fields anywhere in a valid completion keeps it decodable, the same object, fields intact', () => {
    fc.assert(
      fc.property(addedFields, addedFields, addedFields, addedFields, (atRoot, atChoice, atMessage, atUsage) => {
        const input = completion();
        const choice = (input['choices'] as Json[])[0]!;
        const message = choice['message'] as Json;
        const usage = input['usage'] as Json;
        const targets: Array<[Json, Json]> = [
          [input, atRoot],
          [choice, atChoice],
          [message, atMessage],
          [usage, atUsage],
        ];
        for (const [target, added] of targets) for (const [key, value] of Object.entries(added)) addField(target, key, value);

        const result = ChatCompletion.decode(input);

        expect(isRight(result) && result.right).toBe(input);
        for (const [target, added] of targets) {
          for (const [key, value] of Object.entries(added)) expect(Object.getOwnPropertyDescriptor(target, key)?.value).toBe(value);
        }
      }),
    );
  });

  it('any string decodes as finish_reason, service_tier and role', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (finishReason, serviceTier, role) => {
        const input = completion();
        const choice = (input['choices'] as Json[])[0]!;
        input['service_tier'] = serviceTier;
        choice['finish_reason'] = finishReason;
        (choice['message'] as Json)['role'] = role;
        expect(isRight(ChatCompletion.decode(input))).toBe(true);
      }),
    );
  });

  it('whatever the input, failures come as distinct lines that start with a path and show at most 40 characters of value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        const result = ChatCompletionList.decode(input);
        if (isRight(result)) return;
        const lines = formatValidationErrors(result.left);
        expect(lines.length).toBeGreaterThan(0);
        expect(new Set(lines).size).toBe(lines.length);
        for (const line of lines) {
          expect(line).toMatch(/^(\(root\)|[\w$[]).*: expected .+, got /);
          expect(line.slice(line.indexOf(', got ') + ', got '.length).length).toBeLessThanOrEqual(40);
        }
      }),
    );
  });

  it('a page broken at one field fails only at or below that field', () => {
    const fields: Array<[string, Array<string | number>]> = [
      ['data[0].id', ['data', 0, 'id']],
      ['data[0].choices', ['data', 0, 'choices']],
      ['data[0].choices[0].message', ['data', 0, 'choices', 0, 'message']],
      ['data[0].choices[0].message.tool_calls', ['data', 0, 'choices', 0, 'message', 'tool_calls']],
      ['data[0].choices[0].logprobs', ['data', 0, 'choices', 0, 'logprobs']],
      ['data[0].usage', ['data', 0, 'usage']],
      ['data[0].metadata', ['data', 0, 'metadata']],
      ['data', ['data']],
      ['has_more', ['has_more']],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.jsonValue(), ([rendered, [...parents]], value) => {
        const last = parents.pop()!;
        const page = { data: [completion()], has_more: false };
        const target = parents.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], page);
        (target as Record<string | number, unknown>)[last] = value;

        const result = ChatCompletionList.decode(page);
        if (isRight(result)) return;
        for (const line of formatValidationErrors(result.left)) expect(line).toMatch(new RegExp(`^${escape(rendered)}[.[:]`));
      }),
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.[\]]/g, '\\$&');
}

/** Every path to a value inside a JSON value, as lists of keys. */
function pathsOf(value: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

describe('the type guards and the decoder', () => {
  const pages: Array<[string, t.Mixed, string]> = [
    ['ChatCompletionList', ChatCompletionList, 'listChatCompletions.response.json'],
    ['ChatCompletionMessageList', ChatCompletionMessageList, 'getChatCompletionMessages.response.json'],
  ];

  it.each(pages)('give the same verdict on any mutation of a valid %s (decodeOrThrow relies on it)', (_, codec, file) => {
    const page = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')) as Json;
    const paths = pathsOf(page);
    const compiled = compileGuard(codec);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: paths.length - 1 }), fc.option(fc.jsonValue({ maxDepth: 2 }))), {
          minLength: 1,
          maxLength: 3,
        }),
        (mutations) => {
          const mutated = JSON.parse(JSON.stringify(page)) as Json;
          for (const [index, replacement] of mutations) {
            const keys = paths[index] ?? [];
            let parent: unknown = mutated;
            for (const key of keys.slice(0, -1)) parent = (parent as Json | undefined)?.[key];
            if (typeof parent !== 'object' || parent === null) continue;
            const last = keys[keys.length - 1] ?? '';
            // JSON has no sparse arrays (where `every`, behind the guard of t.array, skips holes): splice.
            if (replacement === null && Array.isArray(parent)) parent.splice(Number(last), 1);
            else if (replacement === null) delete (parent as Json)[last];
            else (parent as Json)[last] = replacement;
          }
          const decodes = isRight(codec.decode(mutated));
          expect(codec.is(mutated)).toBe(decodes);
          expect(compiled(mutated)).toBe(decodes);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
