import { AzureOpenAI } from 'openai';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { AuthenticationError, createClient, InvalidArgumentError, TokenProviderError, type ClientOptions } from '../../src';
import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { failureOf } from '../helpers/failureOf';
import { json, listPage, startScriptedServer, type ScriptedServer } from '../helpers/scriptedServer';
import { withEnv } from '../helpers/withEnv';

const KEY = 'azure-key-0123456789abcdef';
const TOKEN = 'entra-token-fedcba9876543210';
const VERSION = '2025-04-01-preview';
const AZURE_VARIABLES = ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'OPENAI_API_VERSION', 'OPENAI_API_KEY', 'OPENAI_BASE_URL'];

/** Runs `body` with the given variables alone set among {@link AZURE_VARIABLES}. */
const withAzureEnv = <T>(values: Readonly<Record<string, string>>, body: () => Promise<T> | T): Promise<T> => withEnv(AZURE_VARIABLES, values, body);

describe('createClient({ azure }) against the emulator in Azure mode', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    // With `apiVersion`, the emulator refuses any other version, and takes the key only as `api-key`
    // on the versioned paths: a request that went out without either fails.
    emulator = await startEmulator({ count: 250, seed: 6, azure: { apiKey: KEY, tokens: [TOKEN], apiVersion: VERSION } });
  });
  afterAll(() => emulator.close());

  const requestsDuring = async <T>(run: () => Promise<T>): Promise<{ result: T; requests: number }> => {
    const before = emulator.stats().requests;
    const result = await run();
    return { result, requests: emulator.stats().requests - before };
  };

  it('walks the v1 API without apiVersion, the same completions as the official SDK’s AzureOpenAI', async () => {
    const client = createClient({ azure: { endpoint: emulator.endpoint, apiKey: KEY } });
    const { result: ids, requests } = await requestsDuring(() => lastValueFrom(client.chat.completions.list().pipe(toArray())));
    expect(requests).toBe(3);
    const sdk = new AzureOpenAI({ baseURL: `${emulator.endpoint}/openai`, apiKey: KEY, apiVersion: VERSION, maxRetries: 0 });
    const expected: string[] = [];
    for await (const completion of sdk.chat.completions.list({ limit: 100 })) expected.push(completion.id);
    expect(ids.map((completion) => completion.id)).toEqual(expected);
  });

  it('sends the api-key and ?api-version=V on every request of every method', async () => {
    const client = createClient({ azure: { endpoint: `${emulator.endpoint}/`, apiKey: KEY, apiVersion: VERSION } });
    const completions = client.chat.completions;
    const pages = await lastValueFrom(completions.pages({ limit: 100 }).pipe(toArray()));
    expect(pages.map((page) => page.data.length)).toEqual([100, 100, 50]);
    const id = pages[0]!.data[0]!.id;
    expect((await firstValueFrom(completions.retrieve(id))).id).toBe(id);
    const messages = await lastValueFrom(completions.messages.list(id).pipe(toArray()));
    expect(messages.length).toBeGreaterThan(0);
    expect((await firstValueFrom(completions.update(id, { metadata: { via: 'azure' } }))).metadata).toEqual({ via: 'azure' });
    expect(await firstValueFrom(completions.delete(id))).toMatchObject({ id, deleted: true });
    expect(await failureOf(completions.retrieve(id))).toMatchObject({ status: 404 });
  });

  it('takes an Entra token from a provider, sync or async, asked before every attempt', async () => {
    let calls = 0;
    const asyncProvider = async (): Promise<string> => {
      calls++;
      return TOKEN;
    };
    const client = createClient({ azure: { endpoint: emulator.endpoint, apiVersion: VERSION, tokenProvider: asyncProvider } });
    const { requests } = await requestsDuring(() => lastValueFrom(client.chat.completions.pages({ limit: 100 }).pipe(toArray())));
    expect(calls).toBe(requests);
    const sync = createClient({ azure: { endpoint: emulator.endpoint, tokenProvider: () => TOKEN } });
    expect(await lastValueFrom(sync.chat.completions.list({ limit: 5 }).pipe(toArray()))).toHaveLength(emulator.stats().stored);
  });

  it('fails with AuthenticationError for a token the resource refuses, and asks no more', async () => {
    let calls = 0;
    const client = createClient({
      azure: {
        endpoint: emulator.endpoint,
        apiVersion: VERSION,
        tokenProvider: () => {
          calls++;
          return 'entra-token-expired-0000';
        },
      },
    });
    const error = await failureOf(client.chat.completions.list());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toContain('Access token is missing, invalid');
    expect(calls).toBe(1);
  });

  it('fails with a TokenProviderError when the provider rejects, its error as cause, having sent nothing', async () => {
    const refusal = new Error('CredentialUnavailableError: no managed identity');
    const client = createClient({ azure: { endpoint: emulator.endpoint, tokenProvider: () => Promise.reject(refusal) }, retry: { maxRetries: 0 } });
    const { result: error, requests } = await requestsDuring(() => failureOf(client.chat.completions.list()));
    expect(error).toBeInstanceOf(TokenProviderError);
    expect((error as TokenProviderError).cause).toBe(refusal);
    expect(requests).toBe(0);
  });

  it.each<[string, () => unknown, string]>([
    ['an empty token', () => '', 'got an empty string'],
    ['a token with a line break', () => `${TOKEN}\r\nx-injected: 1`, 'got a string with a line break'],
    ['no token', () => undefined, 'got undefined'],
  ])('refuses %s from the provider, without quoting it', async (_, provider, got) => {
    const client = createClient({ azure: { endpoint: emulator.endpoint, tokenProvider: provider as () => string } });
    const error = await failureOf(client.chat.completions.list());
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(`Expected \`tokenProvider\` to give a non-empty string without line breaks, ${got}`);
  });

  it('falls back on AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and OPENAI_API_VERSION', async () => {
    const items = await withAzureEnv(
      { AZURE_OPENAI_ENDPOINT: emulator.endpoint, AZURE_OPENAI_API_KEY: KEY, OPENAI_API_VERSION: VERSION, OPENAI_API_KEY: 'sk-not-for-azure' },
      () => lastValueFrom(createClient({ azure: {} }).chat.completions.list().pipe(toArray())),
    );
    expect(items).toHaveLength(emulator.stats().stored);
  });

  it('prefers the options to the environment', async () => {
    const items = await withAzureEnv({ AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:9', AZURE_OPENAI_API_KEY: 'azure-key-of-the-env', OPENAI_API_VERSION: '2023-05-15' }, () =>
      lastValueFrom(createClient({ azure: { endpoint: emulator.endpoint, apiKey: KEY, apiVersion: VERSION } }).chat.completions.list().pipe(toArray())),
    );
    expect(items).toHaveLength(emulator.stats().stored);
  });

  it('masks a refused key in the error, as the OpenAI key is', async () => {
    const error = await failureOf(createClient({ azure: { endpoint: emulator.endpoint, apiKey: 'azure-key-refused-00000' } }).chat.completions.list());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error)).not.toContain('azure-key-refused-00000');
  });
});

describe('createClient({ azure }) against a server that quotes the credentials back', () => {
  let server: ScriptedServer;

  beforeAll(async () => {
    server = await startScriptedServer((req, res) => {
      const presented = `${String(req.headers['api-key'] ?? '')} ${String(req.headers.authorization ?? '')}`;
      if (req.url?.includes('quote')) json(res, 401, { error: { code: '401', message: `Access denied for ${presented}` } });
      else json(res, 200, listPage(['chatcmpl-1'], false));
    });
  });
  afterAll(() => server.close());

  const endpoint = (): string => server.url.replace(/\/v1$/, '');

  it('sends the key as api-key, never as Authorization, on both path forms', async () => {
    await lastValueFrom(createClient({ azure: { endpoint: endpoint(), apiKey: KEY } }).chat.completions.list({ model: 'm' }).pipe(toArray()));
    await lastValueFrom(createClient({ azure: { endpoint: endpoint(), apiKey: KEY, apiVersion: VERSION } }).chat.completions.list().pipe(toArray()));
    const [v1, versioned] = server.requests.slice(-2);
    expect(v1?.url).toBe('/openai/v1/chat/completions?limit=100&model=m');
    expect(versioned?.url).toBe(`/openai/chat/completions?limit=100&api-version=${VERSION}`);
    for (const request of [v1, versioned]) {
      expect(request?.headers['api-key']).toBe(KEY);
      expect(request?.headers.authorization).toBeUndefined();
    }
  });

  it('sends the token as Authorization: Bearer, and no api-key', async () => {
    await lastValueFrom(createClient({ azure: { endpoint: endpoint(), tokenProvider: () => TOKEN } }).chat.completions.list().pipe(toArray()));
    const request = server.requests.at(-1);
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['api-key']).toBeUndefined();
  });

  it.each<[string, ClientOptions['azure'], string]>([
    ['the key', { apiKey: KEY }, KEY],
    ['the token', { tokenProvider: async () => TOKEN }, TOKEN],
  ])('masks %s quoted in an error body', async (_, azure, secret) => {
    const client = createClient({ azure: { ...azure, endpoint: endpoint() } });
    const error = await failureOf(client.chat.completions.list({ model: 'quote' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain('Access denied for');
    expect((error as Error).message).toContain('[redacted]');
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(secret);
  });
});

describe('createClient({ azure }): options', () => {
  it.each<[string, ClientOptions, string]>([
    ['azure beside apiKey', { apiKey: 'sk-x', azure: { endpoint: 'https://r.openai.azure.com' } }, '`azure` excludes `apiKey` and `baseURL`'],
    ['azure beside baseURL', { baseURL: 'https://r.example/v1', azure: {} }, '`azure` excludes `apiKey` and `baseURL`'],
    ['no endpoint', { azure: {} }, 'Missing Azure endpoint: pass `azure.endpoint` to createClient or set AZURE_OPENAI_ENDPOINT'],
    ['an endpoint with a query', { azure: { endpoint: 'https://r.openai.azure.com/?api-version=1' } }, 'Expected `azure.endpoint` to have no query and no fragment'],
    ['both a key and a token provider', { azure: { endpoint: 'https://r.openai.azure.com', apiKey: KEY, tokenProvider: () => TOKEN } }, '`azure.apiKey` and `azure.tokenProvider` exclude each other'],
    ['a version with a space', { azure: { endpoint: 'https://r.openai.azure.com', apiVersion: '2025 04' } }, 'Expected `azure.apiVersion` to be a version such as "2025-04-01-preview", got "2025 04"'],
    ['an unknown option', { azure: { deployment: 'gpt' } as ClientOptions['azure'] }, 'Unknown option `azure.deployment`'],
    ['a key with a line break', { azure: { endpoint: 'https://r.openai.azure.com', apiKey: `${KEY}\n` } }, 'Expected `azure.apiKey` to hold no line break or NUL'],
  ])('refuses %s', async (_, options, message) => {
    await withAzureEnv({}, () => {
      expect(() => createClient(options)).toThrow(InvalidArgumentError);
      expect(() => createClient(options)).toThrow(message);
    });
  });

  it('reads a malformed endpoint of the environment under its own name', async () => {
    await withAzureEnv({ AZURE_OPENAI_ENDPOINT: 'r.openai.azure.com' }, () => {
      expect(() => createClient({ azure: {} })).toThrow('Expected `AZURE_OPENAI_ENDPOINT` to be an');
    });
  });

  it('drops a trailing /openai or /openai/v1 of the endpoint', async () => {
    const server = await startScriptedServer((_req, res) => json(res, 200, listPage([], false)));
    try {
      const endpoint = server.url.replace(/\/v1$/, '');
      for (const suffix of ['/openai', '/openai/v1/']) {
        await lastValueFrom(createClient({ azure: { endpoint: `${endpoint}${suffix}` } }).chat.completions.list().pipe(toArray()));
      }
      expect(server.requests.map((request) => request.url)).toEqual(['/openai/v1/chat/completions?limit=100', '/openai/v1/chat/completions?limit=100']);
    } finally {
      await server.close();
    }
  });
});
