import { Agent, buildConnector, errors } from 'undici';
import { NotFoundError } from '../../../../src';
import { failureOf } from '../../../helpers/failureOf';
import { clientFor } from '../../../helpers/scriptedClient';
import { json } from '../../../helpers/scriptedServer';

describe('a DELETE retried after a connect timeout, then answered 404', () => {
  it('is a NotFoundError: the first attempt never reached the server', async () => {
    const connect = buildConnector({});
    let connections = 0;
    // A real Agent whose first connection times out before a byte is sent, as to an unreachable host.
    const dispatcher = new Agent({
      connect: (options, callback) => (connections++ === 0 ? callback(new errors.ConnectTimeoutError(), null) : connect(options, callback)),
    });
    try {
      const client = await clientFor((_req, res) => json(res, 404, { error: { message: 'No completion found' } }), {
        dispatcher,
        retry: { maxRetries: 1, initialDelayMs: 1 },
      });
      const error = await failureOf(client.chat.completions.delete('chatcmpl-1'));
      expect(connections).toBe(2);
      expect(error).toBeInstanceOf(NotFoundError);
    } finally {
      await dispatcher.close();
    }
  });
});
