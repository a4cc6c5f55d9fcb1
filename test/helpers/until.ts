/** How long {@link until} and {@link within} wait by default: a bound of the test's own, inside jest's 30 s. */
export const WAIT_BOUND_MS = 10_000;

/**
 * Resolves once `condition` holds, checking after each turn of the event loop's I/O; rejects if it
 * still does not hold after `boundMs`, so that a wait that never ends fails on its own assertion
 * rather than on jest's timeout.
 *
 * @param condition Checked until it returns (or resolves to) true.
 * @param boundMs How long it may take.
 */
export async function until(condition: () => boolean | Promise<boolean>, boundMs = WAIT_BOUND_MS): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${boundMs} ms for ${condition.toString()}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * `promise`, or a rejection if it has not settled within `boundMs`: for the tests whose point is
 * that something ends (a body that never ends, a server that drips), the bound is theirs to assert.
 *
 * @param promise What must settle.
 * @param boundMs How long it may take.
 * @param what What is waited for, for the message.
 */
export function within<T>(promise: Promise<T>, boundMs: number, what = 'the promise'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${boundMs} ms`)), boundMs);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Lets `count` turns of the event loop pass, for work already under way (I/O included) to go on. */
export async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}
