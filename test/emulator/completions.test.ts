import { startEmulator, type EmulatorHandle } from '../../src/testing';
import {
  json,
  listPage,
  send,
  sendJson,
  type Completion,
  type ErrorEnvelope,
  type Page,
  type RawResponse,
  type StoredMessage,
} from '../helpers/rawHttp';

const expectError = (response: RawResponse, status: number, error: Partial<ErrorEnvelope['error']>): void => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json');
  expect(json<ErrorEnvelope>(response).error).toMatchObject(error);
};

describe('emulator: retrieve, update, delete, messages', () => {
  let emulator: EmulatorHandle;
  let url: string;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 200, seed: 5 });
    url = emulator.url;
  });
  afterAll(() => emulator.close());

  it('retrieves a completion with the same bytes the list shows', async () => {
    const list = await send(`${url}/chat/completions?limit=10`);
    const item = json<Page<Completion>>(list).data[3];
    const retrieved = await send(`${url}/chat/completions/${item?.id ?? ''}`);
    expect(retrieved.status).toBe(200);
    expect(list.text).toContain(retrieved.text);
    expect(json<Completion>(retrieved)).toEqual(item);
  });

  it('shapes a completion like the spec example', async () => {
    const [item] = (await listPage(url, 'limit=1')).data;
    expect(Object.keys(item ?? {})).toEqual([
      'object',
      'id',
      'model',
      'created',
      'request_id',
      'tool_choice',
      'usage',
      'seed',
      'top_p',
      'temperature',
      'presence_penalty',
      'frequency_penalty',
      'system_fingerprint',
      'input_user',
      'service_tier',
      'tools',
      'metadata',
      'choices',
      'response_format',
    ]);
    expect(item?.id).toMatch(/^chatcmpl-[0-9A-Za-z]{29}$/);
    expect(item?.request_id).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('replaces metadata on update and returns the updated completion', async () => {
    const [item] = (await listPage(url, 'limit=1&after=' + ((await listPage(url, 'limit=5')).last_id ?? ''))).data;
    const id = item?.id ?? '';
    const response = await sendJson(`${url}/chat/completions/${id}`, 'POST', { metadata: { foo: 'bar', emoji: '🧪' } });
    expect(response.status).toBe(200);
    const updated = json<Completion>(response);
    expect(updated.metadata).toEqual({ foo: 'bar', emoji: '🧪' });
    expect({ ...updated, metadata: item?.metadata }).toEqual(item);
    expect(json<Completion>(await send(`${url}/chat/completions/${id}`))).toEqual(updated);
    const cleared = await sendJson(`${url}/chat/completions/${id}`, 'POST', { metadata: null });
    expect(json<Completion>(cleared).metadata).toEqual({});
  });

  it.each([
    ['an array', { metadata: ['a'] }, "Invalid type for 'metadata': expected an object, but got an array instead."],
    ['a number value', { metadata: { a: 1 } }, "Invalid type for 'metadata.a': expected a string, but got an integer instead."],
    [
      '17 keys',
      { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) },
      "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with 17 properties instead.",
    ],
    ['a 65-character key', { metadata: { ['k'.repeat(65)]: 'v' } }, 'Expected a key with at most 64 characters, but got a key with 65 characters'],
    ['a 513-character value', { metadata: { k: 'v'.repeat(513) } }, 'Expected a string with maximum length 512, but got a string with length 513'],
    ['no metadata', { tags: {} }, "Missing required parameter: 'metadata'."],
  ])('rejects an update with %s', async (_, body, message) => {
    const [item] = (await listPage(url, 'limit=1')).data;
    const response = await sendJson(`${url}/chat/completions/${item?.id ?? ''}`, 'POST', body);
    expectError(response, 400, { type: 'invalid_request_error', param: 'metadata' });
    expect(json<ErrorEnvelope>(response).error.message).toContain(message);
  });

  it('accepts the bounds: 16 keys, 64-character keys, 512-character values', async () => {
    const [item] = (await listPage(url, 'limit=1')).data;
    const metadata = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`${i}`.padEnd(64, 'k'), 'é'.repeat(512)]));
    expect((await sendJson(`${url}/chat/completions/${item?.id ?? ''}`, 'POST', { metadata })).status).toBe(200);
  });

  it('rejects an unparseable body', async () => {
    const [item] = (await listPage(url, 'limit=1')).data;
    const response = await send(`${url}/chat/completions/${item?.id ?? ''}`, { method: 'POST', body: '{"metadata": {' });
    expectError(response, 400, { type: 'invalid_request_error', param: null });
    expect(json<ErrorEnvelope>(response).error.message).toContain('could not parse the JSON body');
  });

  it('lists messages with ids `${completionId}-${index}`, in both orders and across pages', async () => {
    const items = (await listPage(url, 'limit=100')).data;
    const withMany = await (async () => {
      for (const item of items) {
        const page = json<Page<StoredMessage>>(await send(`${url}/chat/completions/${item.id}/messages`));
        if (page.data.length >= 3) return { item, messages: page.data };
      }
      throw new Error('no seeded completion with three messages');
    })();
    const { item, messages } = withMany;
    expect(messages.map((message) => message.id)).toEqual(messages.map((_, i) => `${item.id}-${i}`));
    for (const message of messages) expect(Object.keys(message)).toEqual(['id', 'role', 'content', 'name', 'content_parts']);

    const first = json<Page<StoredMessage>>(await send(`${url}/chat/completions/${item.id}/messages?limit=1`));
    expect(first).toMatchObject({ first_id: `${item.id}-0`, last_id: `${item.id}-0`, has_more: true });
    const rest = json<Page<StoredMessage>>(await send(`${url}/chat/completions/${item.id}/messages?after=${item.id}-0&limit=100`));
    expect(rest.data).toEqual(messages.slice(1));
    expect(rest.has_more).toBe(false);
    const desc = json<Page<StoredMessage>>(await send(`${url}/chat/completions/${item.id}/messages?order=desc&limit=2`));
    expect(desc.data).toEqual(messages.slice(-2).reverse());
    expect(desc.has_more).toBe(true);
    const end = json<Page<StoredMessage>>(await send(`${url}/chat/completions/${item.id}/messages?after=${item.id}-0&order=desc`));
    expect(end).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });

  it('answers a message cursor of another completion, or out of range, with a 404', async () => {
    const [a, b] = (await listPage(url, 'limit=2')).data;
    for (const after of [`${b?.id ?? ''}-0`, `${a?.id ?? ''}-99`, `${a?.id ?? ''}-x`, 'nope']) {
      expectError(await send(`${url}/chat/completions/${a?.id ?? ''}/messages?after=${after}`), 404, { param: 'after', code: 'not_found' });
    }
    expectError(await send(`${url}/chat/completions/${a?.id ?? ''}/messages?limit=0`), 400, { param: 'limit' });
  });

  it('deletes: the deletion object, then 404s for retrieve, update, messages and a second delete', async () => {
    const [, , item] = (await listPage(url, 'limit=3&order=desc')).data;
    const id = item?.id ?? '';
    const deleted = await send(`${url}/chat/completions/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(json(deleted)).toEqual({ object: 'chat.completion.deleted', id, deleted: true });
    expectError(await send(`${url}/chat/completions/${id}`), 404, { code: 'not_found' });
    expectError(await sendJson(`${url}/chat/completions/${id}`, 'POST', { metadata: {} }), 404, { code: 'not_found' });
    expectError(await send(`${url}/chat/completions/${id}/messages`), 404, { code: 'not_found' });
    expectError(await send(`${url}/chat/completions/${id}`, { method: 'DELETE' }), 404, { code: 'not_found' });
    expect((await listPage(url, 'limit=100&order=desc')).data.map((c) => c.id)).not.toContain(id);
  });

  it('answers unknown ids, unknown paths and wrong methods with 404 and 405', async () => {
    expectError(await send(`${url}/chat/completions/chatcmpl-nope`), 404, { code: 'not_found', type: 'invalid_request_error' });
    expectError(await send(`${url}/chat/completion`), 404, { code: 'not_found', message: 'Invalid URL (GET /v1/chat/completion)' });
    expectError(await send(`${url.replace('/v1', '')}/chat/completions`), 404, { code: 'not_found' });
    const put = await send(`${url}/chat/completions`, { method: 'PUT' });
    expectError(put, 405, { code: 'method_not_allowed' });
    expect(put.headers['allow']).toBe('GET, POST');
    const patch = await send(`${url}/chat/completions/chatcmpl-x`, { method: 'PATCH' });
    expectError(patch, 405, { code: 'method_not_allowed' });
    expect(patch.headers['allow']).toBe('GET, POST, DELETE');
    expectError(await send(`${url}/chat/completions/chatcmpl-x/messages`, { method: 'POST' }), 405, { code: 'method_not_allowed' });
  });

  it('sends x-request-id and content-type on every response', async () => {
    const responses = await Promise.all([
      send(`${url}/chat/completions`),
      send(`${url}/chat/completions?limit=0`),
      send(`${url}/nope`),
      send(`${url}/chat/completions`, { method: 'PUT' }),
    ]);
    const requestIds = responses.map((response) => response.headers['x-request-id']);
    for (const response of responses) expect(response.headers['content-type']).toBe('application/json');
    for (const requestId of requestIds) expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
    expect(new Set(requestIds).size).toBe(4);
  });
});

describe('emulator: create', () => {
  let emulator: EmulatorHandle;
  let url: string;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 50, seed: 9 });
    url = emulator.url;
  });
  afterAll(() => emulator.close());

  const messages = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Hello 👋', name: 'zoë' },
    { role: 'assistant', content: 'Hi.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this image?' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
      ],
    },
  ];

  it('stores with store: true: list, retrieve and messages show the request', async () => {
    const before = Math.floor(Date.now() / 1000);
    // Written by hand: the seed is above 2^53 and must come back digit for digit.
    const body =
      '{"model":"gpt-4o-mini","store":true,"metadata":{"suite":"create"},"temperature":0.5,"seed":4944116822809979520,' +
      `"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"response_format":{"type":"json_object"},` +
      `"user":"u-1","messages":${JSON.stringify(messages)}}`;
    const response = await send(`${url}/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const after = Math.floor(Date.now() / 1000);
    expect(response.status).toBe(200);
    const created = json<Completion>(response);
    expect(created).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini' });
    expect(created.id).toMatch(/^chatcmpl-[0-9A-Za-z]{29}$/);
    expect(created.created).toBeGreaterThanOrEqual(before);
    expect(created.created).toBeLessThanOrEqual(after);
    expect(created.choices[0]?.message).toMatchObject({ role: 'assistant', refusal: null });
    expect(created.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(created.usage.prompt_tokens).toBeGreaterThan(20);
    expect(created.usage.total_tokens).toBe(created.usage.prompt_tokens + created.usage.completion_tokens);

    const stored = await send(`${url}/chat/completions/${created.id}`);
    expect(stored.text).toContain('"seed":4944116822809979520,');
    expect(json<Completion>(stored)).toMatchObject({
      id: created.id,
      created: created.created,
      request_id: response.headers['x-request-id'],
      metadata: { suite: 'create' },
      temperature: 0.5,
      top_p: null,
      input_user: 'u-1',
      response_format: { type: 'json_object' },
      tool_choice: null,
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      usage: {
        prompt_tokens: created.usage.prompt_tokens,
        completion_tokens: created.usage.completion_tokens,
        total_tokens: created.usage.total_tokens,
      },
    });
    expect(json<Completion>(stored).choices[0]?.message.content).toBe(created.choices[0]?.message.content);

    const listed = await listPage(url, 'order=desc&limit=1');
    expect(listed.data[0]?.id).toBe(created.id);
    expect((await listPage(url, 'metadata[suite]=create')).data.map((c) => c.id)).toEqual([created.id]);

    const storedMessages = json<Page<StoredMessage>>(await send(`${url}/chat/completions/${created.id}/messages`));
    expect(storedMessages.data).toEqual([
      { id: `${created.id}-0`, role: 'system', content: 'You are terse.', name: null, content_parts: null },
      { id: `${created.id}-1`, role: 'user', content: 'Hello 👋', name: 'zoë', content_parts: null },
      { id: `${created.id}-2`, role: 'assistant', content: 'Hi.', name: null, content_parts: null },
      { id: `${created.id}-3`, role: 'user', content: 'What is in this image?', name: null, content_parts: messages[3]?.content },
    ]);
  });

  it('replies deterministically from the last user message', async () => {
    const ask = async (content: string) =>
      json<Completion>(await sendJson(`${url}/chat/completions`, 'POST', { model: 'gpt-5.4', messages: [{ role: 'user', content }] }))
        .choices[0]?.message.content;
    expect(await ask('same question')).toBe(await ask('same question'));
  });

  it('stores nothing without store: true', async () => {
    const before = (await listPage(url, 'order=desc&limit=1')).data[0]?.id;
    const response = await sendJson(`${url}/chat/completions`, 'POST', { model: 'o3-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(response.status).toBe(200);
    const { id } = json<Completion>(response);
    expect((await listPage(url, 'order=desc&limit=1')).data[0]?.id).toBe(before);
    expect((await send(`${url}/chat/completions/${id}`)).status).toBe(404);
  });

  it('answers with a tool call when tool_choice forces one', async () => {
    const response = await sendJson(`${url}/chat/completions`, 'POST', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather' } }],
      tool_choice: 'required',
    });
    const choice = json<Completion>(response).choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
  });

  it.each([
    ['no model', { messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['a numeric model', { model: 4, messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['no messages', { model: 'gpt-4o' }, 'messages'],
    ['empty messages', { model: 'gpt-4o', messages: [] }, 'messages'],
    ['messages not an array', { model: 'gpt-4o', messages: 'hi' }, 'messages'],
    ['a message without a role', { model: 'gpt-4o', messages: [{ content: 'x' }] }, 'messages[0].role'],
    ['stream: true', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true }, 'stream'],
    ['a non-boolean store', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], store: 'yes' }, 'store'],
    ['a temperature of 3', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], temperature: 3 }, 'temperature'],
    ['bad metadata', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], metadata: { a: 1 } }, 'metadata'],
  ])('rejects a create with %s', async (_, body, param) => {
    expectError(await sendJson(`${url}/chat/completions`, 'POST', body), 400, { type: 'invalid_request_error', param });
  });

  it('rejects an unparseable or non-object body', async () => {
    expectError(await send(`${url}/chat/completions`, { method: 'POST', body: 'not json' }), 400, { param: null });
    expectError(await send(`${url}/chat/completions`, { method: 'POST', body: '[1]' }), 400, { param: null });
  });
});

describe('emulator: authentication', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 5, apiKey: 'sk-test-secret' });
  });
  afterAll(() => emulator.close());

  it('answers a missing key with a 401', async () => {
    expectError(await send(`${emulator.url}/chat/completions`), 401, { type: 'invalid_request_error', code: 'invalid_api_key' });
  });

  it('answers a wrong key with a 401 that does not echo it', async () => {
    const response = await send(`${emulator.url}/chat/completions`, { headers: { authorization: 'Bearer sk-wrong-guess-123' } });
    expectError(response, 401, { type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(response.text).not.toContain('sk-wrong');
    expect(response.text).not.toContain('guess-123');
    expect(response.text).not.toContain('sk-test-secret');
  });

  it('serves a request with the right key', async () => {
    const response = await send(`${emulator.url}/chat/completions`, { headers: { authorization: 'Bearer sk-test-secret' } });
    expect(response.status).toBe(200);
  });
});
