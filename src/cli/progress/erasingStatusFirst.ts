import type { StatusLine } from './StatusLine';

/**
 * Stdout, for a command whose stdout and stderr are the same terminal: each
 * write first erases the status line drawn on stderr, so that the output
 * starts at the start of a clean line (`rxsc delete --yes` on a terminal
 * showed `… · 18 deletedchatcmpl-…`). The status line is drawn again below
 * it at the next event. Everything else (events, `writableLength`, `end`)
 * is stdout's own.
 *
 * Both streams write synchronously to a terminal, so the erase reaches the
 * terminal before the text it makes room for.
 *
 * @param stdout The command's stdout.
 * @param status The status line on stderr.
 * @returns A stream that writes to stdout.
 */
export function erasingStatusFirst(stdout: NodeJS.WritableStream, status: StatusLine): NodeJS.WritableStream {
  const write = (...args: unknown[]): boolean => {
    status.erase();
    return (stdout.write as (...args: unknown[]) => boolean).apply(stdout, args);
  };
  return new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
