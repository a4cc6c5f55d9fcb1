import type { EmulatorClock } from '../../src/testing';

/**
 * An emulator clock that moves only when told, or by the latency it is asked to sleep: tests of
 * rate limits and latency then run in controlled time, whatever the machine's load.
 */
export class ManualClock implements EmulatorClock {
  private ms = 0;
  /** Every `sleep` asked of this clock, in milliseconds. */
  readonly slept: number[] = [];

  now(): number {
    return this.ms;
  }

  sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.ms += ms;
    return Promise.resolve();
  }

  /** Moves the clock on by `ms`. */
  advance(ms: number): void {
    this.ms += ms;
  }
}
