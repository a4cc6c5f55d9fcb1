import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runCliInMemory, type CliRun } from '../../helpers/cliRun';

/** A proxy that accepts every connection and never answers: not even to CONNECT. */
async function startSilentProxy(): Promise<{ readonly url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The run, or a failure once `ms` have passed: the bound is the assertion, not jest's timeout. */
async function within(ms: number, run: Promise<CliRun>): Promise<CliRun> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`rxsc was still running after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('connect: closing the connection', () => {
  it('exits promptly with the walk’s error behind a proxy that never answers CONNECT', async () => {
    const proxy = await startSilentProxy();
    try {
      const run = await within(
        10_000,
        runCliInMemory(['stats', '--base-url', 'http://127.0.0.1:9/v1', '--timeout', '300', '--max-retries', '0'], { env: { HTTP_PROXY: proxy.url } }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^rxsc: http:\/\/127\.0\.0\.1:9\/v1 did not answer in time/);
    } finally {
      await proxy.close();
    }
  });
});
