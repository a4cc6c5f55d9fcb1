import { InvalidArgumentError, StoredCompletionsError } from '../../../src';
import { argumentErrorOf } from '../../helpers/argumentErrorOf';
import { failureOf } from '../../helpers/failureOf';
import { clientFor } from '../../helpers/scriptedClient';
import { completion, json } from '../../helpers/scriptedServer';

describe('an id that is not well-formed UTF-16 (a lone surrogate)', () => {
  it('is an InvalidArgumentError on subscribe, not a raw URIError', async () => {
    const client = await clientFor((_req, res) => json(res, 200, completion('x')));
    expect(argumentErrorOf(() => client.chat.completions.retrieve('chatcmpl-\uD800'))).toBeInstanceOf(InvalidArgumentError);
    expect(argumentErrorOf(() => client.chat.completions.messages.list('chatcmpl-\uD800'))).toBeInstanceOf(InvalidArgumentError);
  });

  it('from the server, as the next cursor, fails the walk with a StoredCompletionsError, not a raw URIError', async () => {
    const client = await clientFor((_req, res) =>
      json(res, 200, `{"object":"list","data":[${JSON.stringify(completion('x')).replace('"id":"x"', '"id":"chatcmpl-\\ud800"')}],"has_more":true}`),
    );
    expect(await failureOf(client.chat.completions.list())).toBeInstanceOf(StoredCompletionsError);
  });
});
