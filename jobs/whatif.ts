/**
 * `whatif`: central and central + the typed assumptions, solved side by side (nothing is
 * stored as a plan run), answered in the thread with the scenario chart and the differences.
 */
import { UnrecoverableError } from 'bullmq';
import { scenarioChart } from '../src/charts/index.js';
import { renderChart } from '../src/charts/render.js';
import {
  parseWhatIfs,
  WhatIfError,
  whatIfLine,
  whatIfSpan,
} from '../src/core/scenarios/what-if.js';
import { ScenarioCodeError } from '../src/core/scenarios.js';
import { scenarioKpis } from '../src/services/chart-data.js';
import { MissingCompanyDataError } from '../src/services/company-data.js';
import { runWhatIf, stressKpis } from '../src/services/planning.js';
import { jobHolder, postFileOnce, postMessageOnce } from '../src/slack/post-ledger.js';
import { esc } from '../src/slack/presenters/format.js';
import { forecastSamplesSection, whatIfDiff } from '../src/slack/presenters/plan-run.js';
import { hash } from './contracts.js';
import type { Processor } from './processor-types.js';

export const whatif: Processor<'whatif'> = async (p, ctx) => {
  const { solver, fontDir } = ctx.worker;
  const key = `whatif:${hash(p.requestKey)}`;
  const reply = p.replyTo;
  const say = async (suffix: string, text: string) => {
    if (!reply) return;
    await postMessageOnce(ctx.db, ctx.slack, {
      logger: ctx.logger,
      key: `${key}:${suffix}`,
      channel: reply.channel,
      threadTs: reply.threadTs ?? null,
      text,
    });
  };
  let whatIfs: ReturnType<typeof parseWhatIfs>;
  try {
    whatIfs = parseWhatIfs(p.text);
  } catch (err) {
    if (err instanceof WhatIfError) {
      await say('error', `Could not read the what-if: ${esc(err.message)}`);
      throw new UnrecoverableError(err.message);
    }
    throw err;
  }
  let out: Awaited<ReturnType<typeof runWhatIf>>;
  try {
    out = await runWhatIf(
      ctx.db,
      await solver(),
      p.cycleId,
      whatIfs,
      `What-if: ${whatIfLine(p.text)}`,
    );
  } catch (err) {
    // Unknown family or resource codes: core says which; no retry can fix them.
    if (err instanceof ScenarioCodeError) {
      await say(
        'error',
        `Could not run the what-if ${esc(whatIfSpan(p.text))}: ${esc(err.message)}`,
      );
      throw new UnrecoverableError(err.message);
    }
    // No families or resources yet: say what to import; no retry can import it.
    if (err instanceof MissingCompanyDataError) {
      await say('error', `:warning: Could not run the what-if. ${esc(err.message)}`);
      throw new UnrecoverableError(err.message);
    }
    throw err;
  }
  const figures = [out.central, out.whatIf].map((s) => ({
    name: s.result.name,
    label: s.result.label,
    status: s.result.status,
    message: s.result.message,
    kpis: s.kpis,
    // The chart draws each plan against the demand samples, as a plan run's does.
    stress: s.result.stress,
  }));
  const [central, changed] = figures;
  if (!central || !changed) throw new Error('whatif: the scenarios were not solved');
  // A demand what-if also answers "what if it happens": both plans against the changed demand.
  const happens = out.ifItHappens;
  const diff = whatIfDiff(
    p.text,
    central,
    changed,
    happens ? { central: stressKpis(happens.central), whatIf: stressKpis(happens.whatIf) } : null,
    out.central.problem.periods,
  );
  const kpis = scenarioKpis(figures);
  if (reply && kpis.length === 2) {
    // The subtitle names the message's section whose figures the chart draws.
    const chart = scenarioChart(kpis, {
      whatIf: {
        text: whatIfLine(p.text),
        ...(happens ? { samplesSection: forecastSamplesSection(true) } : {}),
      },
    });
    const png = await renderChart(chart.spec, fontDir ? { fontDir } : {});
    await postFileOnce(ctx.db, ctx.slack, {
      key: `${key}:chart`,
      channel: reply.channel,
      threadTs: reply.threadTs ?? null,
      filename: 'what-if.png',
      title: chart.title,
      altText: chart.altText,
      comment: diff,
      bytes: png.png,
      holder: jobHolder(ctx.job),
      logger: ctx.logger,
      timeoutMs: ctx.config.SOPBOT_SLACK_TIMEOUT_MS,
    });
  } else await say('diff', diff);
  return { central: central.kpis, whatIf: changed.kpis };
};
