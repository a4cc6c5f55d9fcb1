import { firstValueFrom } from 'rxjs';
import { clientFor } from '../helpers/scriptedClient';
import { completion, json } from '../helpers/scriptedServer';

describe('a timeout longer than a Node timer can hold (2^31 ms, about 24.8 days)', () => {
  it('does not time every attempt out at once', async () => {
    const client = await clientFor((_req, res) => setImmediate(() => json(res, 200, completion('chatcmpl-1'))), { timeout: 2 ** 31 });
    await expect(firstValueFrom(client.chat.completions.retrieve('chatcmpl-1'))).resolves.toMatchObject({ id: 'chatcmpl-1' });
  });
});
