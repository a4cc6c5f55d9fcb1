import { isRight } from 'fp-ts/Either';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as t from 'io-ts';
import { ChatCompletion, ChatCompletionDeleted, ChatCompletionList, ChatCompletionMessageList } from '../../src';
import { Metadata } from '../../src/codecs/metadata';
import { APIErrorBody } from '../../src/codecs/apiErrorBody';
import { ChatCompletionMessageFunctionToolCall, ChatCompletionMessageToolCall } from '../../src/codecs/toolCalls';
import { FinishReason } from '../../src/codecs/chatCompletion';
import { ServiceTier } from '../../src/codecs/serviceTier';

const examplesDir = path.join(__dirname, '../fixtures/spec-examples');
const example = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')) as Record<string, unknown>;

/** Decodes and asserts success, returning the decoded value. */
function decodes<C extends t.Mixed>(codec: C, input: unknown): t.TypeOf<C> {
  const result = codec.decode(input);
  if (!isRight(result)) throw new Error(`${codec.name} rejected ${JSON.stringify(input)}`);
  return result.right;
}

/** A completion that uses every optional shape the spec describes. */
function richCompletion(): Record<string, unknown> {
  const logprob = { token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.1, bytes: null }] };
  return {
    id: 'chatcmpl-rich',
    object: 'chat.completion',
    created: 1741570283,
    model: 'gpt-4o-2024-08-06',
    metadata: { user: 'u1' },
    service_tier: 'flex',
    system_fingerprint: 'fp_1',
    usage: {
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 2, accepted_prediction_tokens: 0 },
    },
    moderation: {
      input: {
        type: 'moderation_results',
        model: 'omni-moderation-latest',
        results: [
          {
            type: 'moderation_result',
            model: 'omni-moderation-latest',
            flagged: false,
            categories: { hate: false },
            category_scores: { hate: 0.001 },
            category_applied_input_types: { hate: ['text'] },
          },
        ],
      },
      output: { type: 'error', code: 'timeout', message: 'moderation timed out' },
    },
    choices: [
      {
        index: 0,
        finish_reason: 'tool_calls',
        logprobs: { content: [logprob], refusal: null },
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          annotations: [
            { type: 'url_citation', url_citation: { start_index: 0, end_index: 4, url: 'https://example.com', title: 'Example' } },
          ],
          audio: { id: 'audio_1', expires_at: 1741573883, data: 'UklGRg==', transcript: 'Hi' },
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
            { id: 'call_2', type: 'custom', custom: { name: 'grep', input: 'needle' } },
          ],
        },
      },
    ],
  };
}

describe('ChatCompletion', () => {
  it('decodes a completion that uses every optional shape, to the very object given', () => {
    const input = richCompletion();
    expect(decodes(ChatCompletion, input)).toBe(input);
  });

  it('decodes the bare minimum: id, created, model, and choices with index, finish_reason and a role', () => {
    const input = { id: 'c', created: 1, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }] };
    expect(decodes(ChatCompletion, input)).toBe(input);
  });

  it('keeps unknown fields at every level, untouched', () => {
    const input = richCompletion();
    const choice = (input['choices'] as Array<Record<string, unknown>>)[0]!;
    const message = choice['message'] as Record<string, unknown>;
    const brandNew = { nested: [1, 2, { deep: true }] };
    Object.assign(input, { brand_new: brandNew, store: true });
    Object.assign(choice, { stop_sequence: '\n' });
    Object.assign(message, { reasoning: 'because' });

    const decoded = decodes(ChatCompletion, input) as unknown as Record<string, unknown>;

    expect(decoded).toBe(input);
    expect(decoded['brand_new']).toBe(brandNew);
    expect(decoded['store']).toBe(true);
    expect(choice['stop_sequence']).toBe('\n');
    expect(message['reasoning']).toBe('because');
  });

  it.each([
    ['service_tier', 'ultra'],
    ['object', 'chat.completion.v2'],
  ])('accepts an unknown %s string (%p)', (field, value) => {
    const input = { ...richCompletion(), [field]: value };
    expect(decodes(ChatCompletion, input)).toBe(input);
  });

  it('accepts an unknown finish_reason, role, annotation, tool call and moderation outcome', () => {
    const input = richCompletion();
    const choice = (input['choices'] as Array<Record<string, unknown>>)[0]!;
    const message = choice['message'] as Record<string, unknown>;
    choice['finish_reason'] = 'guardrail';
    message['role'] = 'critic';
    message['annotations'] = [{ type: 'file_citation', file_citation: { file_id: 'f' } }];
    message['tool_calls'] = [{ id: 'call_3', type: 'web_search', web_search: { query: 'q' } }];
    (input['moderation'] as Record<string, unknown>)['output'] = { type: 'skipped', reason: 'disabled' };

    expect(decodes(ChatCompletion, input)).toBe(input);
  });

  it('accepts the nulls and omissions the real API sends (see the examples)', () => {
    const input: Record<string, unknown> = {
      ...example('getChatCompletion.response.json'),
      metadata: null,
      service_tier: null,
      system_fingerprint: null,
      moderation: null,
      seed: 4944116822809979520,
    };
    delete input['usage'];
    expect(decodes(ChatCompletion, input)).toBe(input);
  });

  it('accepts usage: null and annotations: null, as it accepts tool_calls: null', () => {
    const base = example('getChatCompletion.response.json') as { choices: Array<{ message: Record<string, unknown> }> };
    const input = { ...base, usage: null, choices: [{ ...base.choices[0], message: { ...base.choices[0]?.message, annotations: null } }] };
    expect(decodes(ChatCompletion, input)).toBe(input);
  });

  it('accepts a seed above 2^53 as the number JSON.parse made of it', () => {
    const input = JSON.parse(
      '{"id":"c","created":1,"model":"m","seed":4944116822809979520,"choices":[]}',
    ) as Record<string, unknown>;
    expect(decodes(ChatCompletion, input).seed).toBe(4944116822809979520);
  });

  it('narrows a tool call with the member codec, since `type` alone cannot narrow past the fallback', () => {
    const calls: ChatCompletionMessageToolCall[] = [
      { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } },
      { id: 'call_3', type: 'web_search' },
    ];
    const names = calls.flatMap((call) => (ChatCompletionMessageFunctionToolCall.is(call) ? [call.function.name] : []));
    expect(names).toEqual(['lookup']);
  });
});

describe('the small codecs', () => {
  it.each([['stop'], ['length'], ['tool_calls'], ['content_filter'], ['function_call'], ['a_reason_from_2030']])(
    'FinishReason accepts %p',
    (value) => {
      expect(FinishReason.is(value)).toBe(true);
    },
  );

  it.each([[null], [{}], [{ key: 'value' }]])('Metadata accepts %p', (value) => {
    expect(decodes(Metadata, value)).toBe(value);
  });

  it.each([['default'], ['priority'], ['turbo'], [null]])('ServiceTier accepts %p', (value) => {
    expect(ServiceTier.is(value)).toBe(true);
  });

  it('FinishReason keeps the known members for the type and the docs', () => {
    expect(FinishReason.values).toEqual(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);
  });
});

describe('ChatCompletionList', () => {
  it('decodes to the very page given, items included', () => {
    const page = example('listChatCompletions.response.json');
    const decoded = decodes(ChatCompletionList, page);
    expect(decoded).toBe(page);
    expect(decoded.data[0]).toBe((page['data'] as unknown[])[0]);
  });

  it.each([
    ['null ids', { object: 'list', data: [], first_id: null, last_id: null, has_more: false }],
    ['no ids', { object: 'list', data: [], has_more: false }],
    ['no object', { data: [], has_more: false }],
    ['another object string', { object: 'page', data: [], has_more: false }],
  ])('decodes an empty page with %s', (_, page) => {
    expect(decodes(ChatCompletionList, page)).toBe(page);
  });
});

describe('ChatCompletionMessageList', () => {
  it('decodes items with name: null and content_parts: null, and every role', () => {
    const page = {
      object: 'list',
      data: [
        { id: 'm-0', role: 'developer', content: 'be brief', name: null, content_parts: null },
        {
          id: 'm-1',
          role: 'user',
          content: 'what is this?',
          name: 'ada',
          content_parts: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          ],
        },
        { id: 'm-2', role: 'tool', content: '42', tool_call_id: 'call_1' },
      ],
      first_id: 'm-0',
      last_id: 'm-2',
      has_more: false,
    };
    expect(decodes(ChatCompletionMessageList, page)).toBe(page);
  });
});

describe('ChatCompletionDeleted', () => {
  it('accepts another object string, and none', () => {
    const renamed = { object: 'chat.completion.removed', id: 'c', deleted: true };
    const bare = { id: 'c', deleted: false };
    expect(decodes(ChatCompletionDeleted, renamed)).toBe(renamed);
    expect(decodes(ChatCompletionDeleted, bare)).toBe(bare);
  });
});

describe('APIErrorBody', () => {
  it.each([
    ['full', { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } }],
    ['param and code absent', { error: { message: 'Not found', type: 'invalid_request_error' } }],
    ['param set, code null', { error: { message: 'Bad limit', type: 'invalid_request_error', param: 'limit', code: null } }],
  ])('decodes an envelope with %s', (_, body) => {
    expect(decodes(APIErrorBody, body)).toBe(body);
  });
});
