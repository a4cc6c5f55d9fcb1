import { inspect } from 'node:util';
import { createClient, StoredCompletionsError } from '../../../src';

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
