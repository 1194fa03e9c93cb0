/**
 * The demo's clock, given to its bot and its worker (`BotOptions.clock`, `WorkerOptions.clock`)
 * and read by the demo's own script: the story's time, not the machine's. It starts on the
 * first cycle's first morning and the script moves it forward to each later step's day (the
 * next month's cycle, the S&OE week's Monday); between moves it runs at the real pace. So what
 * the product computes from the clock (phase deadlines, due dates, reminders, "today", the
 * window of a pack's S&OE escalations) falls in the simulated months, whatever day the demo
 * runs on, and in order: a clock that went back would put a later step before an earlier one.
 */
import type { Clock } from '../deps.js';

export interface DemoClock extends Clock {
  /** Moves "now" forward to `at`; it runs on from there. Refuses to go back. */
  advanceTo(at: Date): void;
}

export function demoClock(start: Date): DemoClock {
  let offsetMs = start.getTime() - Date.now();
  const now = () => new Date(Date.now() + offsetMs);
  return {
    now,
    advanceTo(at) {
      const current = now();
      if (at.getTime() < current.getTime())
        throw new Error(
          `the demo's clock runs forward only: ${at.toISOString()} is before ${current.toISOString()}`,
        );
      offsetMs = at.getTime() - Date.now();
    },
  };
}
