/**
 * `reminders-rezone`: the company's zone changed (SOPBOT_TIMEZONE and a restart; the process
 * that stored it requested this job with the change, src/services/settings.ts): each open
 * action's reminders still waiting move to their time in the new zone (moveRemindersToZone),
 * by BullMQ's changeDelay on their deterministic ids. Run again, it moves nothing further.
 */
import type { Job, Queue } from 'bullmq';
import { type DelayedReminders, moveRemindersToZone } from '../src/services/actions.js';
import { JOB_QUEUE } from './contracts.js';
import type { Processor } from './processor-types.js';

/**
 * `change` on job `id` while it is delayed. One that left the delayed set meanwhile (its time
 * came, a worker took it) is not changed: false, and it runs as it reads the zone itself; any
 * other failure is thrown.
 */
async function whileDelayed(
  queue: Queue,
  id: string,
  change: (job: Job) => Promise<unknown>,
): Promise<boolean> {
  const job = await queue.getJob(id);
  if (!job || !(await job.isDelayed())) return false;
  try {
    await change(job);
    return true;
  } catch (err) {
    if (await job.isDelayed()) throw err;
    return false;
  }
}

export const remindersRezone: Processor<'reminders-rezone'> = async (_p, ctx) => {
  const queue = ctx.worker.queue(JOB_QUEUE['action-reminder']);
  const jobs: DelayedReminders = {
    isDelayed: async (id) => (await (await queue.getJob(id))?.isDelayed()) ?? false,
    move: (id, delayMs) =>
      whileDelayed(queue, id, (job) => (delayMs > 0 ? job.changeDelay(delayMs) : job.promote())),
    remove: (id) => whileDelayed(queue, id, (job) => job.remove()),
  };
  const result = await moveRemindersToZone(ctx, jobs);
  ctx.logger.info(result, 'reminders moved to the company zone now set');
  return result;
};
