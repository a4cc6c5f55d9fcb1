import { EMPTY, type Observable } from 'rxjs';
import { argumentErrorOf } from '../helpers/argumentErrorOf';
import { createdWithin, deleteEach, InvalidArgumentError, updateEach, withMessages } from '../../src';
import { clientFor } from '../helpers/scriptedClient';
import { completion, json } from '../helpers/scriptedServer';

describe('null options, a null window, a work that is not a function', () => {
  it('are InvalidArgumentErrors on subscribe, not raw TypeErrors, and never throw at call', async () => {
    const client = await clientFor((_req, res) => json(res, 200, { object: 'list', data: [completion('a')], has_more: false }));
    const calls: Array<() => Observable<unknown>> = [
      () => EMPTY.pipe(deleteEach(client, null as never)),
      () => EMPTY.pipe(withMessages(client, null as never)),
      () => EMPTY.pipe(updateEach(client, { set: { a: 'b' } }, null as never)),
      () => EMPTY.pipe(createdWithin(null as never)),
      () => client.chat.completions.process({}, null as never),
      () => client.chat.completions.processPages({}, 'work' as never),
    ];
    for (const call of calls) expect(argumentErrorOf(call)).toBeInstanceOf(InvalidArgumentError);
  });
});
