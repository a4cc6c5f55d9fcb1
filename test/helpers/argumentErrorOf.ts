import type { Observable } from 'rxjs';

/**
 * The error a public method's Observable gives on subscribe, for bad
 * arguments: the call itself must not throw, and the error must come at
 * once, before anything is sent.
 *
 * @param call Calls the method (for an operator, applies it: `EMPTY.pipe(deleteEach(client, bad))`).
 * @returns The error.
 */
export function argumentErrorOf(call: () => Observable<unknown>): unknown {
  let stream: Observable<unknown> | undefined;
  try {
    stream = call();
  } catch (error) {
    throw new Error(`expected no throw at call, got ${String(error)}`);
  }
  let failure: { readonly error: unknown } | undefined;
  stream.subscribe({ error: (error: unknown) => (failure = { error }) }).unsubscribe();
  if (failure === undefined) throw new Error('expected an error on subscribe, at once');
  return failure.error;
}
