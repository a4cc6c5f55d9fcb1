import { createdWithin, deleteEach, InvalidArgumentError, updateEach, withMessages } from '../../src';
import { clientFor } from '../helpers/scriptedClient';
import { completion, json } from '../helpers/scriptedServer';

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
