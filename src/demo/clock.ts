/**
 * The demo's clock, given to its bot and its worker (`BotOptions.clock`, `WorkerOptions.clock`)
 * and read by the demo's own script: the story's time, not the machine's. It starts on the
 * first cycle's first morning and the script moves it forward to each later step's day (the
 * next month's cycle, the S&OE week's Monday), stopping on the way wherever a reminder, a nudge
 * or a deadline comes due (src/demo/drain.ts); between moves it runs at the real pace. So what
 * the product computes from the clock (phase deadlines, due dates, reminders, "today", the
 * window of a pack's S&OE escalations) falls in the simulated months, whatever day the demo
 * runs on, and in order: a clock that went back would put a later step before an earlier one.
 */
import type { Clock } from '../deps.js';

export interface DemoClock extends Clock {
  /** Moves "now" forward to `at`; it runs on from there. Refuses to go back. */
  advanceTo(at: Date): void;
  /**
   * The story's time at the machine's instant `realMs` of this run (a Slack message's ts, a
   * click), by the offset the clock had then: what the demo page shows beside each message.
   */
  storyTime(realMs: number): number;
}

export function demoClock(start: Date, machineNow: () => number = Date.now): DemoClock {
  /** Each move: from which machine instant on, and the offset from then. */
  const moves: { fromMs: number; offsetMs: number }[] = [
    { fromMs: -Infinity, offsetMs: start.getTime() - machineNow() },
  ];
  const offsetAt = (realMs: number) => moves.findLast((m) => m.fromMs <= realMs)!.offsetMs;
  const now = () => {
    const real = machineNow();
    return new Date(real + offsetAt(real));
  };
  return {
    now,
    advanceTo(at) {
      const current = now();
      if (at.getTime() < current.getTime())
        throw new Error(
          `the demo's clock runs forward only: ${at.toISOString()} is before ${current.toISOString()}`,
        );
      const real = machineNow();
      moves.push({ fromMs: real, offsetMs: at.getTime() - real });
    },
    storyTime: (realMs) => realMs + offsetAt(realMs),
  };
}
