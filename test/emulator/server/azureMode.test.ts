import { AzureOpenAI } from 'openai';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../src/testing';
import { json, send, sendJson, type Completion, type Page } from '../../helpers/rawHttp';

const KEY = 'azure-key-0123456789abcdef';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-token';
const VERSION = '2025-04-01-preview';

interface AzureEnvelope {
  readonly error: { readonly code: string; readonly message: string };
}

describe('emulator: Azure mode', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 30, seed: 5, azure: { apiKey: KEY, tokens: [TOKEN], apiVersion: VERSION } });
  });
  afterAll(() => emulator.close());

  const withKey = { 'api-key': KEY };

  it('serves the v1 API at {endpoint}/openai/v1, which is the handle’s url', async () => {
    expect(emulator.url).toBe(`${emulator.endpoint}/openai/v1`);
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = json<Page<Completion>>(await send(`${emulator.endpoint}/openai/v1/chat/completions?limit=3`, { headers: withKey }));
    expect(page.data).toHaveLength(3);
  });

  it('serves the versioned API at {endpoint}/openai/…?api-version=V, the same history', async () => {
    const v1 = await send(`${emulator.endpoint}/openai/v1/chat/completions?limit=100`, { headers: withKey });
    const versioned = await send(`${emulator.endpoint}/openai/chat/completions?limit=100&api-version=${VERSION}`, { headers: withKey });
    expect(versioned.status).toBe(200);
    expect(versioned.text).toBe(v1.text);
    const [first] = json<Page<Completion>>(versioned).data;
    if (first === undefined) throw new Error('an empty history');
    const retrieved = await send(`${emulator.endpoint}/openai/chat/completions/${first.id}?api-version=${VERSION}`, { headers: withKey });
    expect(json<Completion>(retrieved).id).toBe(first.id);
    const messages = await send(`${emulator.endpoint}/openai/chat/completions/${first.id}/messages?api-version=${VERSION}`, { headers: withKey });
    expect(json<Page<unknown>>(messages).object).toBe('list');
  });

  it('answers a versioned path without api-version with Azure’s 404 envelope', async () => {
    const response = await send(`${emulator.endpoint}/openai/chat/completions`, { headers: withKey });
    expect(response.status).toBe(404);
    expect(json<AzureEnvelope>(response)).toEqual({ error: { code: '404', message: 'Resource not found' } });
  });

  it('refuses another api-version than the one configured', async () => {
    const response = await send(`${emulator.endpoint}/openai/chat/completions?api-version=2023-05-15`, { headers: withKey });
    expect(response.status).toBe(400);
    expect(json<AzureEnvelope>(response)).toEqual({ error: { code: 'BadRequest', message: 'API version not supported' } });
  });

  it('serves no OpenAI path: /v1/… is not Azure’s', async () => {
    const response = await send(`${emulator.endpoint}/v1/chat/completions`, { headers: withKey });
    expect(response.status).toBe(404);
    expect(json<AzureEnvelope>(response).error.code).toBe('404');
  });

  it.each<[string, Record<string, string>, string]>([
    ['no credential', {}, 'Access denied due to missing subscription key.'],
    ['a wrong api-key', { 'api-key': 'azure-key-presented' }, 'Access denied due to invalid subscription key'],
    ['a wrong bearer token', { authorization: 'Bearer token-presented' }, 'Unauthorized. Access token is missing, invalid'],
    ['the key as a bearer token on a versioned path', { authorization: `Bearer ${KEY}` }, 'Unauthorized. Access token is missing, invalid'],
    ['an OpenAI-style key header', { authorization: KEY }, 'Access denied due to missing subscription key.'],
  ])('answers 401 to %s, in Azure’s envelope, echoing nothing', async (_, headers, message) => {
    const response = await send(`${emulator.endpoint}/openai/chat/completions?api-version=${VERSION}`, { headers });
    expect(response.status).toBe(401);
    const envelope = json<AzureEnvelope>(response);
    expect(envelope.error.code).toBe('401');
    expect(envelope.error.message).toContain(message);
    expect(response.text).not.toContain('presented');
    expect(response.text).not.toContain(KEY);
  });

  it.each<[string, string, Record<string, string>]>([
    ['the api-key header', `/openai/chat/completions?api-version=${VERSION}`, { 'api-key': KEY }],
    ['an Entra bearer token', `/openai/chat/completions?api-version=${VERSION}`, { authorization: `Bearer ${TOKEN}` }],
    ['the key as a bearer token on the v1 API', '/openai/v1/chat/completions', { authorization: `Bearer ${KEY}` }],
  ])('accepts %s', async (_, path, headers) => {
    expect((await send(`${emulator.endpoint}${path}`, { headers })).status).toBe(200);
  });

  it('creates at /openai/deployments/{deployment}/chat/completions and updates and deletes on the versioned paths', async () => {
    const query = `api-version=${VERSION}`;
    const created = json<Completion>(
      await sendJson(`${emulator.endpoint}/openai/deployments/gpt-4o-mini/chat/completions?${query}`, 'POST', {
        model: 'gpt-4o-mini',
        store: true,
        messages: [{ role: 'user', content: 'Hi' }],
      }, withKey),
    );
    const item = `${emulator.endpoint}/openai/chat/completions/${created.id}?${query}`;
    const updated = json<Completion>(await sendJson(item, 'POST', { metadata: { via: 'azure' } }, withKey));
    expect(updated.metadata).toEqual({ via: 'azure' });
    expect((await send(item, { method: 'DELETE', headers: withKey })).status).toBe(200);
    expect((await send(item, { headers: withKey })).status).toBe(404);
  });

  it.each<[string, EmulatorOptions, string]>([
    ['a top-level apiKey beside azure', { apiKey: 'sk-x', azure: {} }, 'Expected no `apiKey` with `azure`'],
    ['an empty azure.apiKey', { azure: { apiKey: '' } }, 'Expected `azure.apiKey` to be a non-empty string, got ""'],
    ['an empty token, without quoting the others', { azure: { tokens: [TOKEN, ''] } }, 'Expected `azure.tokens` to be an array of non-empty strings, got an array holding something else'],
    ['an unknown azure option', { azure: { endpoint: 'x' } } as EmulatorOptions, 'Unknown option `azure.endpoint`'],
  ])('rejects %s before starting', async (_, options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });
});

describe('emulator: Azure mode, with the official SDK’s AzureOpenAI', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 250, seed: 9, azure: { apiKey: KEY, tokens: [TOKEN], apiVersion: VERSION } });
  });
  afterAll(() => emulator.close());

  const collect = async <T>(pages: AsyncIterable<T>): Promise<T[]> => {
    const items: T[] = [];
    for await (const item of pages) items.push(item);
    return items;
  };

  it('walks the whole list with an api-key, on the versioned paths', async () => {
    const before = emulator.stats().requests;
    const client = new AzureOpenAI({ baseURL: `${emulator.endpoint}/openai`, apiKey: KEY, apiVersion: VERSION, maxRetries: 0 });
    const items = await collect(client.chat.completions.list({ limit: 100 }));
    expect(new Set(items.map((item) => item.id)).size).toBe(250);
    expect(emulator.stats().requests - before).toBe(3);
  });

  it('creates, retrieves and deletes with an Entra token provider', async () => {
    const client = new AzureOpenAI({ baseURL: `${emulator.endpoint}/openai`, azureADTokenProvider: async () => TOKEN, apiVersion: VERSION, maxRetries: 0 });
    const created = await client.chat.completions.create({ model: 'gpt-4o-mini', store: true, messages: [{ role: 'user', content: 'Hello' }] });
    expect((await client.chat.completions.retrieve(created.id)).id).toBe(created.id);
    expect(await client.chat.completions.delete(created.id)).toMatchObject({ id: created.id, deleted: true });
  });

  it('gets a 400 for a version the resource does not serve', async () => {
    const client = new AzureOpenAI({ baseURL: `${emulator.endpoint}/openai`, apiKey: KEY, apiVersion: '2023-05-15', maxRetries: 0 });
    await expect(client.chat.completions.list().then((page) => page.data)).rejects.toMatchObject({ status: 400 });
  });
});
