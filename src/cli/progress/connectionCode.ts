/**
 * The system error code (`ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`)
 * somewhere down an error's `cause` chain, if any: undici wraps the socket's
 * error in its own.
 *
 * @param error A connection error.
 * @returns The code, or `undefined` when none is found within five causes.
 */
export function connectionCode(error: Error): string | undefined {
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 5 && typeof cause === 'object' && cause !== null; depth++) {
    const { code } = cause as { code?: unknown };
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}
