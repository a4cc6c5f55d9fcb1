import { inspect } from 'node:util';
import { firstValueFrom } from 'rxjs';
import { createClient, StoredCompletionsError } from '../../../src';
import { failureOf } from '../../helpers/failureOf';
import { clientFor, serve } from '../../helpers/scriptedClient';
import { completion, json } from '../../helpers/scriptedServer';

/** As long as an Azure key: short enough for a decode message to quote it whole. */
const AZURE_KEY = '0123456789abcdef0123456789abcdef';

const azureClientFor: typeof clientFor = (script) => clientFor(script, { headers: { 'api-key': AZURE_KEY }, apiKey: 'unused-but-required' });

describe('a 2xx body that echoes a credential where the decoder fails', () => {
  it('does not quote the credential in the DecodeError of retrieve()', async () => {
    const client = await azureClientFor((_req, res) => json(res, 200, completion('chatcmpl-1', { created: AZURE_KEY })));
    const error = await failureOf(client.chat.completions.retrieve('chatcmpl-1'));
    expect(error).toBeInstanceOf(StoredCompletionsError);
    expect(`${inspect(error)} ${JSON.stringify(error)}`).not.toContain(AZURE_KEY);
  });

  it('does not quote the credential in the DecodeError of list()', async () => {
    const client = await azureClientFor((_req, res) =>
      json(res, 200, { object: 'list', data: [completion('chatcmpl-1', { created: AZURE_KEY })], has_more: false }),
    );
    const error = await failureOf(client.chat.completions.list());
    expect(error).toBeInstanceOf(StoredCompletionsError);
    expect(`${inspect(error)} ${JSON.stringify(error)}`).not.toContain(AZURE_KEY);
  });
});

describe('a long key echoed where the decoder fails, quoted cut to 40 characters', () => {
  it('leaves no beginning of the key in the DecodeError', async () => {
    const key = `sk-proj-${'AbCdEfGh0123456789'.repeat(8)}`;
    const client = await clientFor((_req, res) => json(res, 200, completion('chatcmpl-1', { created: `key ${key}` })), { apiKey: key });
    const error = await failureOf(client.chat.completions.retrieve('chatcmpl-1'));
    expect(error).toBeInstanceOf(StoredCompletionsError);
    expect(inspect(error)).toContain('created');
    expect(inspect(error)).not.toContain(key.slice(0, 16));
  });
});

describe('a key holding a lone surrogate', () => {
  it('gives a StoredCompletionsError, not a raw URIError from building the redactor', async () => {
    const { url } = await serve((_req, res) => json(res, 200, completion('chatcmpl-1')));
    let error: unknown;
    try {
      const client = createClient({ apiKey: 'sk-\uD800-0123456789', baseURL: url, retry: { maxRetries: 0 } });
      await firstValueFrom(client.chat.completions.retrieve('chatcmpl-1'));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(StoredCompletionsError);
  });
});
