/**
 * `plan`: consensus, rough-cut check and scenarios, written as one immutable plan run. A
 * cycle closed since the recompute was requested gets no run: the job says so and its parent
 * (post-charts) posts nothing. A company with no families or no resources gets no run either:
 * the thread that asked is told what to import, and the job fails without retrying (no retry
 * can import the data), which fails its parent too; so does a scenario naming a family or
 * resource the plan does not have (inactive or gone), with what to change.
 */
import { UnrecoverableError } from 'bullmq';
import { ScenarioCodeError } from '../src/core/scenarios.js';
import { SopError } from '../src/errors.js';
import { MissingCompanyDataError } from '../src/services/company-data.js';
import { runPlan } from '../src/services/planning.js';
import { postMessageOnce } from '../src/slack/post-ledger.js';
import { esc } from '../src/slack/presenters/format.js';
import { hash } from './contracts.js';
import type { Processor } from './processor-types.js';

export const plan: Processor<'plan'> = async (p, ctx) => {
  const solver = await ctx.worker.solver();
  let out: Awaited<ReturnType<typeof runPlan>>;
  try {
    out = await runPlan(ctx.db, solver, p, () => ctx.clock.now());
  } catch (err) {
    /** Tells the thread that asked (if any) why no plan was made, once; no retry can help. */
    const noPlan = async (suffix: string, text: string): Promise<never> => {
      const thread = p.replyTo;
      if (thread)
        await postMessageOnce(ctx.db, ctx.slack, {
          logger: ctx.logger,
          key: `plan:${hash(p.runKey)}:${suffix}`,
          channel: thread.channel,
          threadTs: thread.threadTs ?? null,
          text: `:warning: No plan was made. ${text}`,
        });
      throw new UnrecoverableError((err as Error).message);
    };
    if (err instanceof MissingCompanyDataError) return noPlan('missing-data', esc(err.message));
    // A scenario set while its family or resource was active, then deactivated (or deleted).
    if (err instanceof ScenarioCodeError)
      return noPlan(
        'scenario-code',
        `${esc(err.message.charAt(0).toUpperCase() + err.message.slice(1))}: a plan holds only the company's active families and resources. Change the scenario with \`/sop scenario set ${esc(err.scenario)}\`, or go back to the defaults with \`/sop scenario reset\`.`,
      );
    if (!(err instanceof SopError && err.code === 'phase_closed')) throw err;
    ctx.logger.info(
      { cycleId: p.cycleId, runKey: p.runKey, trigger: p.trigger },
      'plan run skipped: the cycle is closed',
    );
    return { skipped: 'cycle closed' };
  }
  for (const { scenario, error } of out.pricingErrors ?? [])
    ctx.logger.error(
      { err: error, runId: out.runId, scenario },
      'pricing the "one more" steps failed: the plan is kept, those prices are the duals\' rates',
    );
  ctx.logger.info({ runId: out.runId, created: out.created, ms: out.ms }, 'plan run done');
  if (out.staleStock) ctx.logger.warn({ runId: out.runId }, out.staleStock);
  // The parent post-charts job reads runId from this return value.
  return {
    runId: out.runId,
    created: out.created,
    ms: out.ms,
    ...(out.staleStock ? { staleStock: out.staleStock } : {}),
  };
};
