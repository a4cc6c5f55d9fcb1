import { from, lastValueFrom, toArray } from 'rxjs';
import { deleteEach, withMessages, type ChatCompletion } from '../../src';
import { clientFor } from '../helpers/scriptedClient';
import { completion, json, type Script } from '../helpers/scriptedServer';

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
