/**
 * `recompute`: the debounced entry point. It starts one BullMQ flow for the cycle; children
 * run before their parent, so the chain is nested:
 *   post-charts (root) ← plan ← baseline.
 * The run key comes from this job's id and creation time, so a retried recompute adds the
 * same flow (the same job ids) and BullMQ keeps the first.
 *
 * A cycle closed since the request (a recompute that waited in the outbox or behind another)
 * is not recomputed: the job logs so and returns `{ skipped: 'cycle closed' }`.
 *
 * `recompute-daily`: the daily schedule's job. It looks for the open cycle when it fires and
 * recomputes it as above (reason `schedule`); with no cycle open it logs so and does nothing.
 */
import { getCycle, getOpenCycle } from '../src/services/cycles.js';
import { CHART_KINDS, hash, jobId } from './contracts.js';
import type { Processor } from './processor-types.js';
import { DEFAULT_JOB_OPTIONS } from './queues.js';

function runKeyOf(cycleId: number, job: { id?: string; timestamp: number }): string {
  return `c${cycleId}-${job.id ?? 'x'}-${job.timestamp}`;
}

export const recompute: Processor<'recompute'> = async (p, ctx) => {
  const cycle = await getCycle(ctx.db, p.cycleId);
  if (cycle?.phase === 'closed') {
    ctx.logger.info(
      { cycleId: p.cycleId, month: cycle.month, reason: p.reason },
      'recompute skipped: the cycle is closed',
    );
    return { skipped: 'cycle closed' };
  }
  const { flows } = ctx.worker;
  const runKey = runKeyOf(p.cycleId, ctx.job);
  const baseline = { cycleId: p.cycleId, runKey };
  const plan = {
    cycleId: p.cycleId,
    runKey,
    trigger: p.reason,
    requestedBy: p.requestedBy,
    replyTo: p.replyTo,
  };
  const child = { ...DEFAULT_JOB_OPTIONS, failParentOnFailure: true };
  await flows.add({
    name: 'post-charts',
    queueName: 'posts',
    // runId is filled in from the plan job's return value when this job runs.
    data: { charts: [...CHART_KINDS], replyTo: p.replyTo },
    opts: { ...DEFAULT_JOB_OPTIONS, jobId: `charts-flow-${hash(runKey)}` },
    children: [
      {
        name: 'plan',
        queueName: 'planning',
        data: plan,
        opts: { ...child, jobId: jobId('plan', plan) },
        children: [
          {
            name: 'baseline',
            queueName: 'planning',
            data: baseline,
            opts: { ...child, jobId: jobId('baseline', baseline) },
          },
        ],
      },
    ],
  });
  ctx.logger.info({ cycleId: p.cycleId, runKey, reason: p.reason }, 'recompute flow started');
  return { runKey };
};

export const recomputeDaily: Processor<'recompute-daily'> = async (_p, ctx) => {
  const cycle = await getOpenCycle(ctx.db);
  if (!cycle) {
    ctx.logger.info('daily recompute: no open cycle, nothing to recompute');
    return { skipped: 'no open cycle' };
  }
  return recompute(
    { cycleId: cycle.id, reason: 'schedule', requestedBy: null, replyTo: null, requestKey: null },
    ctx,
  );
};
