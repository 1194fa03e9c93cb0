/**
 * Weekly S&OE jobs: check a week's imported actuals (`execution-check`), publish a deviation
 * found there or reported by operations (`deviation-publish`), or the many one check found,
 * rolled up (`deviation-rollup`), and the Monday digest
 * (`execution-digest`, from the job scheduler the worker upserts; run late after Mondays no
 * worker ran across, it covers the weeks missed too). Each post is keyed in the
 * ledger: a retry sends nothing twice.
 */
import {
  checkWeek,
  postDigest,
  publishDeviation,
  publishRevision,
  publishRollup,
} from '../src/services/execution.js';
import { lastAttempt, type Processor } from './processor-types.js';

export const executionCheck: Processor<'execution-check'> = async (p, ctx) => {
  const r = await checkWeek(ctx, p.week);
  if (r.skipped) ctx.logger.warn({ week: p.week }, `week not checked: ${r.skipped}`);
  return {
    deviations: r.found.length,
    ...(r.rolledUp ? { rolledUp: true } : {}),
    ...(r.updated ? { updated: r.updated } : {}),
    ...(r.resolved ? { resolved: r.resolved } : {}),
    ...(r.skipped ? { skipped: r.skipped } : {}),
  };
};

export const deviationPublish: Processor<'deviation-publish'> = async (p, ctx) => {
  if (p.revision) await publishRevision(ctx, p.deviationId, p.revision);
  else await publishDeviation(ctx, p.deviationId, { lastAttempt: lastAttempt(ctx.job) });
  return { published: true };
};

export const deviationRollup: Processor<'deviation-rollup'> = async (p, ctx) => {
  const r = await publishRollup(ctx, p.check, { lastAttempt: lastAttempt(ctx.job) });
  if (!r)
    ctx.logger.warn({ check: p.check }, 'no roll-up of S&OE deviations under this audit entry');
  return r ? { ...r } : { deviations: 0 };
};

export const executionDigest: Processor<'execution-digest'> = async (p, ctx) => {
  const ts = await postDigest(ctx, p.week, { lastAttempt: lastAttempt(ctx.job) });
  return { posted: ts !== null };
};
