/** Regression tests for defects found in review, each named after its bug. */
import { inspect } from 'node:util';
import { Agent, buildConnector, errors } from 'undici';
import { firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';
import { createClient, createdWithin, deleteEach, InvalidArgumentError, NotFoundError, StoredCompletionsError, updateEach, withMessages, type ChatCompletion } from '../../src';
import { json, completion, startScriptedServer, type Script, type ScriptedServer } from '../helpers/scriptedServer';

/** As long as an Azure key: short enough for a decode message to quote it whole. */
const AZURE_KEY = '0123456789abcdef0123456789abcdef';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(script: Script) {
  server = await startScriptedServer(script);
  return createClient({ baseURL: server.url, headers: { 'api-key': AZURE_KEY }, apiKey: 'unused-but-required', retry: { maxRetries: 0 } });
}

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('a 2xx body that echoes a credential where the decoder fails', () => {
  it('does not quote the credential in the DecodeError of retrieve()', async () => {
    const client = await clientFor((_req, res) => json(res, 200, completion('chatcmpl-1', { created: AZURE_KEY })));
    const error = await errorOf(() => firstValueFrom(client.chat.completions.retrieve('chatcmpl-1')));
    expect(error).toBeInstanceOf(StoredCompletionsError);
    expect(`${inspect(error)} ${JSON.stringify(error)}`).not.toContain(AZURE_KEY);
  });

  it('does not quote the credential in the DecodeError of list()', async () => {
    const client = await clientFor((_req, res) =>
      json(res, 200, { object: 'list', data: [completion('chatcmpl-1', { created: AZURE_KEY })], has_more: false }),
    );
    const error = await errorOf(() => firstValueFrom(client.chat.completions.list()));
    expect(error).toBeInstanceOf(StoredCompletionsError);
    expect(`${inspect(error)} ${JSON.stringify(error)}`).not.toContain(AZURE_KEY);
  });
});

describe('an id that is not well-formed UTF-16 (a lone surrogate)', () => {
  it('is an InvalidArgumentError, not a raw URIError', async () => {
    const client = await clientFor((_req, res) => json(res, 200, completion('x')));
    expect(() => client.chat.completions.retrieve('chatcmpl-\uD800')).toThrow(StoredCompletionsError);
    expect(() => client.chat.completions.messages.list('chatcmpl-\uD800')).toThrow(StoredCompletionsError);
  });
});

describe('a server id that is not well-formed UTF-16, as the next cursor', () => {
  it('fails the walk with a StoredCompletionsError, not a raw URIError', async () => {
    const client = await clientFor((_req, res) =>
      json(res, 200, `{"object":"list","data":[${JSON.stringify(completion('x')).replace('"id":"x"', '"id":"chatcmpl-\\ud800"')}],"has_more":true}`),
    );
    const error = await errorOf(() => lastValueFrom(client.chat.completions.list()));
    expect(error).toBeInstanceOf(StoredCompletionsError);
  });
});

describe('a completion whose id no path can carry (".."), among others, in a bulk operator', () => {
  const answer: Script = (req, res) => {
    if (req.method === 'DELETE') return json(res, 200, { id: 'x', object: 'chat.completion.deleted', deleted: true });
    return json(res, 200, { object: 'list', data: [], has_more: false });
  };

  it('is a failed outcome of deleteEach, and the others are deleted', async () => {
    const client = await clientFor(answer);
    const outcomes = await lastValueFrom(from([{ id: 'a' }, { id: '..' }, { id: 'b' }]).pipe(deleteEach(client), toArray()));
    expect(outcomes.map(({ id, status }) => `${id}:${status}`).sort()).toEqual(['..:failed', 'a:done', 'b:done']);
  });

  it('is joined to an error by withMessages, and the others to their messages', async () => {
    const client = await clientFor(answer);
    const completions = ['a', '..', 'b'].map((id) => completion(id) as unknown as ChatCompletion);
    const joined = await lastValueFrom(from(completions).pipe(withMessages(client), toArray()));
    expect(joined.map(({ completion: { id }, messages }) => `${id}:${messages === null ? 'error' : messages.length}`)).toEqual(['a:0', '..:error', 'b:0']);
  });
});

describe('a base URL with a password that the URL check refuses', () => {
  it.each([
    ['does not parse (a bad port)', 'http://user:SECRETPASSWORD@127.0.0.1:99999/v1'],
    ['does not parse (a bad IPv6 host)', 'http://user:SECRETPASSWORD@[::1/v1'],
    ['holds a quote in its password', 'http://user:SECRET"PASSWORD@127.0.0.1/v1?'],
  ])('is not quoted in the error when it %s', (_, baseURL) => {
    let error: unknown;
    try {
      createClient({ apiKey: 'unused', baseURL });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(StoredCompletionsError);
    expect(inspect(error)).not.toMatch(/SECRET|PASSWORD/);
  });
});

describe('null options, a null window, a work that is not a function', () => {
  it('are InvalidArgumentErrors when the operator or method is called, not raw TypeErrors', async () => {
    const client = await clientFor((_req, res) => json(res, 200, { object: 'list', data: [completion('a')], has_more: false }));
    const calls: Array<() => unknown> = [
      () => deleteEach(client, null as never),
      () => withMessages(client, null as never),
      () => updateEach(client, { set: { a: 'b' } }, null as never),
      () => createdWithin(null as never),
      () => client.chat.completions.process({}, null as never),
      () => client.chat.completions.processPages({}, 'work' as never),
    ];
    for (const call of calls) expect(call).toThrow(InvalidArgumentError);
  });
});

describe('a timeout longer than a Node timer can hold (2^31 ms, about 24.8 days)', () => {
  it('does not time every attempt out at once', async () => {
    server = await startScriptedServer((_req, res) => setImmediate(() => json(res, 200, completion('chatcmpl-1'))));
    const client = createClient({ apiKey: 'unused', baseURL: server.url, timeout: 2 ** 31, retry: { maxRetries: 0 } });
    await expect(firstValueFrom(client.chat.completions.retrieve('chatcmpl-1'))).resolves.toMatchObject({ id: 'chatcmpl-1' });
  });
});

describe('a DELETE retried after a connect timeout, then answered 404', () => {
  it('is a NotFoundError: the first attempt never reached the server', async () => {
    server = await startScriptedServer((_req, res) => json(res, 404, { error: { message: 'No completion found' } }));
    const connect = buildConnector({});
    let connections = 0;
    // A real Agent whose first connection times out before a byte is sent, as to an unreachable host.
    const dispatcher = new Agent({
      connect: (options, callback) => (connections++ === 0 ? callback(new errors.ConnectTimeoutError(), null) : connect(options, callback)),
    });
    const client = createClient({ apiKey: 'unused', baseURL: server.url, dispatcher, retry: { maxRetries: 1, initialDelayMs: 1 } });
    const error = await errorOf(() => firstValueFrom(client.chat.completions.delete('chatcmpl-1')));
    await dispatcher.close();
    expect(connections).toBe(2);
    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe('a long key echoed where the decoder fails, quoted cut to 40 characters', () => {
  it('leaves no beginning of the key in the DecodeError', async () => {
    const key = `sk-proj-${'AbCdEfGh0123456789'.repeat(8)}`;
    server = await startScriptedServer((_req, res) => json(res, 200, completion('chatcmpl-1', { created: `key ${key}` })));
    const client = createClient({ apiKey: key, baseURL: server.url, retry: { maxRetries: 0 } });
    const error = await errorOf(() => firstValueFrom(client.chat.completions.retrieve('chatcmpl-1')));
    expect(error).toBeInstanceOf(StoredCompletionsError);
    expect(inspect(error)).toContain('created');
    expect(inspect(error)).not.toContain(key.slice(0, 16));
  });
});

describe('a key holding a lone surrogate', () => {
  it('gives a StoredCompletionsError, not a raw URIError from building the redactor', async () => {
    server = await startScriptedServer((_req, res) => json(res, 200, completion('chatcmpl-1')));
    const { url } = server;
    const error = await errorOf(async () => {
      const client = createClient({ apiKey: 'sk-\uD800-0123456789', baseURL: url, retry: { maxRetries: 0 } });
      await firstValueFrom(client.chat.completions.retrieve('chatcmpl-1'));
    });
    expect(error).toBeInstanceOf(StoredCompletionsError);
  });
});
