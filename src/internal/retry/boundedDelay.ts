/**
 * The longest delay a Node timer keeps: beyond it, `setTimeout` warns
 * (`TimeoutOverflowWarning`) and fires after 1 ms instead, which turns a long
 * wait into a busy loop.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * A delay a timer can be given: `ms` clamped to 0 … {@link MAX_TIMER_DELAY_MS}.
 *
 * @param ms A delay in milliseconds, possibly huge, negative or NaN.
 * @returns The delay to schedule; NaN becomes 0.
 */
export function boundedDelay(ms: number): number {
  return ms > 0 ? Math.min(ms, MAX_TIMER_DELAY_MS) : 0;
}
