import type { Fault, FaultKind } from './faults';

/**
 * The failures the emulator can inject on writes (update and delete), each a way a write to the
 * real API fails. Some fail before the server acts, so the write did not happen; the others after,
 * so it did, and only its answer is lost: the case that makes a retry ambiguous.
 *
 * - `http-429`, `http-429-no-wait`, `http-503`: refused before acting, as for a read.
 * - `connection-reset`: the socket is reset before acting.
 * - `reset-after-acting`: the write takes effect, then the socket is reset without a response.
 * - `http-500-after-acting`: the write takes effect, then a 500 `server_error` is sent instead.
 * - `truncated-after-acting`: the write takes effect, then half its response is sent.
 * - `latency`: the write takes effect, and its normal response comes `latencyMs` late (past a
 *   client's timeout, this is a timeout after acting).
 */
export const WRITE_FAULT_KINDS = [
  'http-429',
  'http-429-no-wait',
  'http-503',
  'connection-reset',
  'reset-after-acting',
  'http-500-after-acting',
  'truncated-after-acting',
  'latency',
] as const;

/** One of {@link WRITE_FAULT_KINDS}. */
export type WriteFaultKind = (typeof WRITE_FAULT_KINDS)[number];

/** Whether each write fault lets the write happen, and which read fault shapes the answer. */
const EFFECTS: Readonly<Record<WriteFaultKind, { readonly acts: boolean; readonly answer: FaultKind }>> = {
  'http-429': { acts: false, answer: 'http-429' },
  'http-429-no-wait': { acts: false, answer: 'http-429-no-wait' },
  'http-503': { acts: false, answer: 'http-503' },
  'connection-reset': { acts: false, answer: 'connection-reset' },
  'reset-after-acting': { acts: true, answer: 'connection-reset' },
  'http-500-after-acting': { acts: true, answer: 'http-500' },
  'truncated-after-acting': { acts: true, answer: 'truncated-body' },
  latency: { acts: true, answer: 'latency' },
};

/**
 * A write fault as the read fault that shapes its answer, and whether the write happens first.
 *
 * @param fault the write fault drawn for a request.
 * @returns `acts`: the write takes effect; `answer`: the fault to answer with.
 */
export function writeFaultEffect(fault: Fault<WriteFaultKind>): { readonly acts: boolean; readonly answer: Fault } {
  const effect = EFFECTS[fault.kind];
  return { acts: effect.acts, answer: { kind: effect.answer, variant: fault.variant } };
}
