import { isLeft } from 'fp-ts/Either';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as t from 'io-ts';
import { ChatCompletion, ChatCompletionDeleted, ChatCompletionList, ChatCompletionMessageList } from '../../src';
import { APIErrorBody } from '../../src/codecs/apiErrorBody';
import { formatValidationErrors } from '../../src/internal/decode/formatValidationErrors';

const examplesDir = path.join(__dirname, '../fixtures/spec-examples');

type Json = Record<string, unknown>;
const example = (file: string): Json => JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')) as Json;

/** Decodes and asserts failure, returning the formatted lines. */
function rejects(codec: t.Mixed, input: unknown): string[] {
  const result = codec.decode(input);
  if (!isLeft(result)) throw new Error(`${codec.name} accepted ${JSON.stringify(input)}`);
  return formatValidationErrors(result.left);
}

/** The list example, with `edit` applied to its parsed (fresh) copy. */
function listPage(edit: (page: Json, completion: Json, choice: Json, message: Json) => void): Json {
  const page = example('listChatCompletions.response.json');
  const completion = (page['data'] as Json[])[0]!;
  const choice = (completion['choices'] as Json[])[0]!;
  edit(page, completion, choice, choice['message'] as Json);
  return page;
}

describe('ChatCompletionList rejects structural violations, naming the path', () => {
  it.each<[string, (page: Json, completion: Json, choice: Json, message: Json) => void, string]>([
    ['a missing id', (_, c) => delete c['id'], 'data[0].id: expected string, got undefined'],
    ['an id that is not a string', (_, c) => (c['id'] = 42), 'data[0].id: expected string, got 42'],
    ['choices that are not an array', (_, c) => (c['choices'] = null), 'data[0].choices: expected array, got null'],
    ['data that is not an array', (p) => (p['data'] = {}), 'data: expected array, got {}'],
    ['a missing data', (p) => delete p['data'], 'data: expected array, got undefined'],
    ['created as a date string', (_, c) => (c['created'] = '2025-02-07'), 'data[0].created: expected number, got "2025-02-07"'],
    ['a model that is not a string', (_, c) => (c['model'] = null), 'data[0].model: expected string, got null'],
    ['a choice without message', (_, __, ch) => delete ch['message'], 'data[0].choices[0].message: expected object, got undefined'],
    ['a message that is a string', (_, __, ch) => (ch['message'] = 'hi'), 'data[0].choices[0].message: expected object, got "hi"'],
    ['a message without role', (_, __, ___, m) => delete m['role'], 'data[0].choices[0].message.role: expected string, got undefined'],
    ['a choice without index', (_, __, ch) => delete ch['index'], 'data[0].choices[0].index: expected number, got undefined'],
    ['a finish_reason that is not a string', (_, __, ch) => (ch['finish_reason'] = 0), 'data[0].choices[0].finish_reason: expected string, got 0'],
    ['has_more as a string', (p) => (p['has_more'] = 'false'), 'has_more: expected boolean, got "false"'],
    ['a missing has_more', (p) => delete p['has_more'], 'has_more: expected boolean, got undefined'],
    ['an object that is not a string', (p) => (p['object'] = 1), 'object: expected string, got 1'],
    ['a completion object that is not a string', (_, c) => (c['object'] = false), 'data[0].object: expected string, got false'],
    ['a first_id that is a number', (p) => (p['first_id'] = 7), 'first_id: expected (string | null), got 7'],
    [
      'usage.total_tokens as a string',
      (_, c) => ((c['usage'] as Json)['total_tokens'] = '31'),
      'data[0].usage.total_tokens: expected number, got "31"',
    ],
    ['usage without total_tokens', (_, c) => delete (c['usage'] as Json)['total_tokens'], 'data[0].usage.total_tokens: expected number, got undefined'],
    ['a metadata value that is a number', (_, c) => (c['metadata'] = { tries: 3 }), 'data[0].metadata.tries: expected string, got 3'],
    ['metadata that is a list', (_, c) => (c['metadata'] = ['a']), 'data[0].metadata: expected Metadata, got ["a"]'],
    ['a service_tier that is a number', (_, c) => (c['service_tier'] = 2), 'data[0].service_tier: expected ServiceTier, got 2'],
    [
      'tool_calls that is an object',
      (_, __, ___, m) => (m['tool_calls'] = {}),
      'data[0].choices[0].message.tool_calls: expected (null | ChatCompletionMessageToolCalls), got {}',
    ],
    [
      'a function tool call without its function',
      (_, __, ___, m) => (m['tool_calls'] = [{ id: 'call_1', type: 'function' }]),
      'data[0].choices[0].message.tool_calls[0]: expected ChatCompletionMessageToolCall, got {"id":"call_1","type":"function"}',
    ],
    [
      'an unknown tool call without id',
      (_, __, ___, m) => (m['tool_calls'] = [{ type: 'web_search' }]),
      'data[0].choices[0].message.tool_calls[0]: expected ChatCompletionMessageToolCall, got {"type":"web_search"}',
    ],
    [
      'content that is a number',
      (_, __, ___, m) => (m['content'] = 5),
      'data[0].choices[0].message.content: expected (string | null), got 5',
    ],
    [
      'a logprob entry without logprob',
      (_, __, ch) => (ch['logprobs'] = { content: [{ token: 'a', top_logprobs: [] }], refusal: null }),
      'data[0].choices[0].logprobs.content[0].logprob: expected number, got undefined',
    ],
  ])('%s', (_, edit, line) => {
    expect(rejects(ChatCompletionList, listPage(edit))).toEqual([line]);
  });

  it('the root that is not an object', () => {
    expect(rejects(ChatCompletionList, 'oops')).toEqual(['(root): expected object, got "oops"']);
  });

  it('every failure of a page, in order, once each', () => {
    const good = (example('listChatCompletions.response.json')['data'] as Json[])[0]!;
    const page = {
      data: [good, { ...good, id: undefined }, good, { ...good, created: '1', model: 1 }, 'not a completion'],
      has_more: 'yes',
    };
    expect(rejects(ChatCompletionList, page)).toEqual([
      'data[1].id: expected string, got undefined',
      'data[3].created: expected number, got "1"',
      'data[3].model: expected string, got 1',
      'data[4]: expected object, got "not a completion"',
      'has_more: expected boolean, got "yes"',
    ]);
  });
});

describe('the other codecs reject structural violations', () => {
  it('ChatCompletion: a choice list holding null', () => {
    const completion = { ...example('getChatCompletion.response.json'), choices: [null] };
    expect(rejects(ChatCompletion, completion)).toEqual(['choices[0]: expected object, got null']);
  });

  it('ChatCompletionMessageList: an item without id, a content part without text', () => {
    const page = example('getChatCompletionMessages.response.json');
    const item = (page['data'] as Json[])[0]!;
    delete item['id'];
    item['content_parts'] = [{ type: 'text' }];
    expect(rejects(ChatCompletionMessageList, page)).toEqual([
      'data[0].id: expected string, got undefined',
      'data[0].content_parts[0]: expected ChatCompletionMessageContentPart, got {"type":"text"}',
    ]);
  });

  it('ChatCompletionDeleted: deleted as a string', () => {
    expect(rejects(ChatCompletionDeleted, { object: 'chat.completion.deleted', id: 'c', deleted: 'true' })).toEqual([
      'deleted: expected boolean, got "true"',
    ]);
  });

  it('APIErrorBody: an error that is a string, or that lacks its message', () => {
    expect(rejects(APIErrorBody, { error: 'boom' })).toEqual(['error: expected object, got "boom"']);
    expect(rejects(APIErrorBody, { error: { type: 'server_error', code: 5 } })).toEqual([
      'error.message: expected string, got undefined',
      'error.code: expected (string | null), got 5',
    ]);
  });
});
