/**
 * The demo's steps and the story's clock (src/demo/clock.ts): what a step set off is done
 * before the clock moves on, and what was scheduled for later comes at its time on that clock.
 *
 * `settle()` waits until the bot's listeners have answered, every job request is in its queue,
 * and no job waits or runs, nor a planning or post job waits out a delay (a debounce, a 429);
 * a delayed notification (a reminder, a nudge, a deadline) whose time on the story's clock has
 * come is promoted and waited for too. So a post is stamped at the step that caused it: the
 * announcement of a phase when the phase starts, a reply when the person acted.
 *
 * `passTime(to)` moves the clock to `to` the way days pass: each delayed notification due by
 * then runs at its own time (the clock stops there, the job is promoted, what it set off
 * settles), in order. A reminder's delay was worked out from the story's clock when it was
 * scheduled, while BullMQ counts it on the machine's: the story skips days in seconds, so
 * without this none would come before the demo ends.
 */
import type { Job } from 'bullmq';
import type { Db } from '../../db/connect.js';
import { countUndelivered } from '../../db/queries/outbox.js';
import { QUEUES } from '../../jobs/contracts.js';
import type { Queues } from '../../jobs/queues.js';
import type { DemoClock } from './clock.js';

/**
 * A delayed notification due this soon on the story's clock is waited for, not left behind:
 * a DM held by a 429's Retry-After, a job retried after a moment.
 */
const SOON_MS = 30_000;
/** The polls in a row that must find nothing to do before `settle()` returns. */
const QUIET_POLLS = 3;
const POLL_MS = 25;
/** More stops than a demo's months hold reminders, nudges and deadlines: a job that keeps coming back. */
const MAX_STOPS = 500;

/**
 * When a delayed job comes due on the story's clock. Its delay was worked out from the story's
 * time at the machine instant it was delayed at: when it was added (`timestamp`), or, delayed
 * again after it ran (a NotDueYetError, a 429, a retry), when it last started (`processedOn`).
 */
export function storyDue(
  clock: Pick<DemoClock, 'storyTime'>,
  job: Pick<Job, 'timestamp' | 'processedOn' | 'delay'>,
): number {
  return clock.storyTime(job.processedOn ?? job.timestamp) + job.delay;
}

export interface Drain {
  /** Waits until the steps' work is done (see above); throws after `timeoutMs`. */
  settle(): Promise<void>;
  /** Moves the story's clock to `to`, running each delayed notification at its time on the way. */
  passTime(to: Date): Promise<void>;
}

export function createDrain(opts: {
  readonly db: Db;
  readonly queues: Queues;
  readonly clock: DemoClock;
  /** The bot's requests whose listeners are still at work (SlackApp.inFlight). */
  readonly inFlight: () => number;
  readonly timeoutMs?: number;
}): Drain {
  const { db, queues, clock } = opts;
  const notifications = queues.queue('notifications');
  const delayedDue = async () =>
    (await notifications.getDelayed()).map((job) => ({ job, due: storyDue(clock, job) }));

  /** What is left to do now, named (none when the step's work is done). Promotes what is due. */
  const left = async (): Promise<string[]> => {
    const out: string[] = [];
    const add = (n: number, what: string) => {
      if (n > 0) out.push(`${n} ${what}`);
    };
    add(opts.inFlight(), "of the bot's requests at work");
    add(await countUndelivered(db), 'job requests not in their queue yet');
    for (const name of QUEUES) {
      const c = await queues
        .queue(name)
        .getJobCounts('waiting', 'active', 'delayed', 'waiting-children', 'prioritized');
      add(
        (c.waiting ?? 0) + (c.active ?? 0) + (c['waiting-children'] ?? 0) + (c.prioritized ?? 0),
        `${name} jobs waiting or running`,
      );
      if (name !== 'notifications') add(c.delayed ?? 0, `${name} jobs delayed`);
    }
    const now = clock.now().getTime();
    let due = 0;
    for (const d of await delayedDue()) {
      if (d.due > now + SOON_MS) continue;
      due += 1;
      // BullMQ may have moved it on by itself meanwhile: then it is no longer delayed.
      if (d.due <= now) await d.job.promote().catch(() => undefined);
    }
    add(due, `notifications due within ${SOON_MS / 1000} s on the story's clock`);
    return out;
  };

  const settle = async () => {
    const until = Date.now() + (opts.timeoutMs ?? 120_000);
    let quiet = 0;
    let last: string[] = [];
    while (Date.now() < until) {
      last = await left();
      quiet = last.length === 0 ? quiet + 1 : 0;
      if (quiet >= QUIET_POLLS) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    throw new Error(
      `the demo's work did not settle in time (is a worker stuck?): ${last.join(', ')}`,
    );
  };

  return {
    settle,
    async passTime(to) {
      for (let stops = 0; ; stops++) {
        await settle();
        const next = Math.min(...(await delayedDue()).map((d) => d.due));
        if (!(next <= to.getTime())) break;
        if (stops >= MAX_STOPS)
          throw new Error(
            `passing time to ${to.toISOString()}: a delayed job keeps coming back (${new Date(next).toISOString()})`,
          );
        if (next > clock.now().getTime()) clock.advanceTo(new Date(next));
      }
      if (to.getTime() > clock.now().getTime()) clock.advanceTo(to);
    },
  };
}
