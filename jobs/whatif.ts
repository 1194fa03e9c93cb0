/**
 * `whatif`: central and central + the typed assumptions, solved side by side (nothing is
 * stored as a plan run). The "Solving…" message `/sop whatif` posted is edited into the
 * differences, and the scenario chart, drawing the figures the differences lead with, is
 * posted in its thread (the cycle's plans thread, when asked in the executive channel).
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
import { userNamesFor } from '../src/services/user-names.js';
import { jobHolder, postFileOnce, postMessageOnce, slackError } from '../src/slack/post-ledger.js';
import { esc } from '../src/slack/presenters/format.js';
import {
  forecastSamplesSection,
  IF_IT_HAPPENS_SECTION,
  whatIfChartComment,
  whatIfDiff,
} from '../src/slack/presenters/plan-run.js';
import { hash } from './contracts.js';
import type { Processor } from './processor-types.js';

export const whatif: Processor<'whatif'> = async (p, ctx) => {
  const { solver, fontDir } = ctx.worker;
  const key = `whatif:${hash(p.requestKey)}`;
  const reply = p.replyTo;
  /**
   * The answer (or why there is none): the "Solving…" message edited into it, so no
   * "Solving…" stays behind; a retry edits it to the same words. A message deleted since, or
   * a job queued before the message was kept, gets it as a reply in the thread, once.
   */
  // Who asked, named (not mentioned: the answer may be posted anew, which would ping them for
  // their own question), for the answer edited from their "Solving…", which named them. A
  // person is waiting: no retry; a name Slack cannot give shows the id, logged.
  const asker =
    p.answerTs && reply
      ? await userNamesFor(ctx.db, ctx.slack, ctx.logger).name(p.requestedBy)
      : undefined;
  /** An error's answer still says who asked what, as the "Solving…" it replaces did. */
  const asked =
    asker === undefined ? '' : `${esc(asker)} asked: what if ${esc(whatIfSpan(p.text))}? `;
  const say = async (suffix: string, text: string) => {
    if (!reply) return;
    if (p.answerTs) {
      const edited = await ctx.slack.chat
        .update({ channel: reply.channel, ts: p.answerTs, text })
        .then(
          () => true,
          (err: unknown) => {
            if (slackError(err) === 'message_not_found') return false;
            throw err;
          },
        );
      if (edited) return;
    }
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
      await say('error', `${asked}Could not read the what-if: ${esc(err.message)}`);
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
        asker === undefined
          ? `Could not run the what-if ${esc(whatIfSpan(p.text))}: ${esc(err.message)}`
          : `${asked}Could not run it: ${esc(err.message)}`,
      );
      throw new UnrecoverableError(err.message);
    }
    // No families or resources yet: say what to import; no retry can import it.
    if (err instanceof MissingCompanyDataError) {
      await say('error', `:warning: ${asked}Could not run the what-if. ${esc(err.message)}`);
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
    // Edited into "Solving…", the answer still says who asked.
    asker,
  );
  // The chart draws what the message leads with: a demand what-if's "If it happens", both
  // plans against the samples with the change in them; any other, the forecast's samples.
  const kpis = scenarioKpis(
    happens
      ? [
          { ...central, stress: happens.central },
          { ...changed, stress: happens.whatIf },
        ]
      : figures,
  );
  // Without the stress test's figures (none is run without a plan) the chart draws each plan
  // at its own demand, as the message does.
  const stressed = kpis.every((k) => k.stress);
  const section = !stressed
    ? null
    : happens
      ? IF_IT_HAPPENS_SECTION
      : forecastSamplesSection(false);
  // Edited into the "Solving…" message, the differences come first; the chart follows them.
  if (p.answerTs || kpis.length !== 2) await say('diff', diff);
  if (reply && kpis.length === 2) {
    // The title and subtitle say which samples the chart draws, and the message's section.
    const chart = scenarioChart(kpis, {
      whatIf: {
        text: whatIfLine(p.text),
        // The one section against the forecast's samples needs no naming: the subtitle's words.
        ...(happens ? { samples: 'changed', samplesSection: IF_IT_HAPPENS_SECTION } : {}),
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
      comment: p.answerTs ? whatIfChartComment(section) : diff,
      bytes: png.png,
      holder: jobHolder(ctx.job),
      logger: ctx.logger,
      timeoutMs: ctx.config.SOPBOT_SLACK_TIMEOUT_MS,
    });
  }
  return { central: central.kpis, whatIf: changed.kpis };
};
