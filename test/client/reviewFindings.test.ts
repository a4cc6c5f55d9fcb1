/** Regression tests for defects found in review, each named after its bug. */
import { createClient, StoredCompletionsError } from '../../src/index';
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

describe('an id that is not well-formed UTF-16 (a lone surrogate)', () => {
  it('is an InvalidArgumentError, not a raw URIError', async () => {
    const client = await clientFor((_req, res) => json(res, 200, completion('x')));
    expect(() => client.chat.completions.retrieve('chatcmpl-\uD800')).toThrow(StoredCompletionsError);
    expect(() => client.chat.completions.messages.list('chatcmpl-\uD800')).toThrow(StoredCompletionsError);
  });
});
