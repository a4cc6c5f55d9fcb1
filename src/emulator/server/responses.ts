import type { ServerResponse } from 'node:http';

/**
 * What the emulator sends for one request, decided before any latency is added and written after.
 *
 * `truncated` and `reset` are faults: the first promises `content-length` bytes and delivers half,
 * the second never answers.
 */
export type Outcome =
  | {
      readonly kind: 'complete' | 'truncated';
      readonly status: number;
      readonly body: Buffer;
      readonly headers: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'reset' };

/**
 * Writes an outcome to the socket.
 *
 * @param response the server response.
 * @param outcome what to send. Headers must include `content-type`.
 * @returns the status sent, or `undefined` when no response was sent.
 */
export function writeOutcome(response: ServerResponse, outcome: Outcome): number | undefined {
  if (outcome.kind === 'reset') {
    // An RST rather than a FIN: what a client sees when a load balancer drops the connection.
    response.socket?.resetAndDestroy();
    return undefined;
  }
  const { body } = outcome;
  response.writeHead(outcome.status, { ...outcome.headers, 'content-length': String(body.length) });
  if (outcome.kind === 'complete') {
    response.end(body);
  } else {
    // Destroy only once the half is flushed, or the client might see no body at all.
    response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.socket?.destroy());
  }
  return outcome.status;
}
