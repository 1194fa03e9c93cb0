/**
 * `post-charts`: render a plan run's charts and post each exactly once (the ledger key is
 * the run and the chart), into the channels by kind, or into the thread that asked for the
 * run. With a thread, the headline figures come first.
 *
 * No noise: a chart whose picture and summary are the same as one already posted in that
 * channel (an earlier run with the same numbers) is not posted again; the picture is claimed
 * atomically through the ledger (`claimContent`), so two jobs never both post it, and the
 * run's chart key then names that post (the vote shows the chart of its run). A thread that
 * asked for the run always gets its headline and charts, under keys of that thread: a run
 * reused for a second request answers in the second thread too.
 *
 * A run newer than the one the cycle's open vote (or closed vote still owed a decision) is on
 * makes that vote's figures out of date: before the charts, the vote's message is redrawn with
 * a warning and its thread is told, once per vote and run (`noticeReplacedRun`).
 */
import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { runScenarios } from '../db/queries/plan-runs.js';
import { renderChart } from '../src/charts/render.js';
import { runStaleStock } from '../src/core/supply/from-company.js';
import { authorsOf, loadRunCharts, withAuthorNames } from '../src/services/chart-data.js';
import { noticeReplacedRun } from '../src/services/meeting-posts.js';
import { zeroFilledFamilies } from '../src/services/planning-baseline.js';
import { planCharts } from '../src/services/run-charts.js';
import { getSettings } from '../src/services/settings.js';
import { centralShortfalls } from '../src/services/shortfall.js';
import { userNamesFor } from '../src/services/user-names.js';
import {
  CONTENT_WAIT_MS,
  claimContent,
  jobHolder,
  ledgerEntries,
  PostInFlightError,
  postFileOnce,
  postMessageOnce,
  recordSharedPost,
} from '../src/slack/post-ledger.js';
import { planHeadline } from '../src/slack/presenters/plan-run.js';
import type { Processor } from './processor-types.js';

export const postCharts: Processor<'post-charts'> = async (p, ctx) => {
  if (p.runId === undefined) {
    // The flow's plan job wrote no run (the cycle had closed): nothing to post.
    ctx.logger.info('charts skipped: the plan job wrote no run');
    return { skipped: 'no plan run' };
  }
  const { fontDir } = ctx.worker;
  const loaded = await loadRunCharts(ctx.db, p.runId, { maxFamilies: 3 });
  if (!loaded) throw new UnrecoverableError(`post-charts: plan run ${p.runId} does not exist`);
  // A vote on an older run (open, or closed and owed a decision) is told first: its figures
  // are out of date.
  const cycleId = loaded.run.cycle_id;
  const stale =
    cycleId === null ? null : await noticeReplacedRun(ctx.slack, ctx.db, cycleId, p.runId);
  if (stale) ctx.logger.info({ runId: p.runId, ...stale }, 'vote told its plan run was replaced');
  // Charts show people by name: a picture cannot render a <@U…> mention.
  const nameOf = await userNamesFor(ctx.db, ctx.slack, ctx.logger).names(authorsOf(loaded));
  const data = withAuthorNames(loaded, nameOf);
  const settings = await getSettings(ctx.db);
  const channels = {
    demand: settings.demand_channel,
    supply: settings.supply_channel,
    exec: settings.exec_channel,
  };
  const thread = p.replyTo?.threadTs ? p.replyTo : null;
  /** The ledger key of a chart: the run's own in the channels, the thread's in a thread. */
  const keyOf = (key: string) => (thread ? `${key}@${thread.channel}:${thread.threadTs}` : key);
  if (thread) {
    const scenarios = await runScenarios(ctx.db, p.runId);
    await postMessageOnce(ctx.db, ctx.slack, {
      logger: ctx.logger,
      key: keyOf(`run:${p.runId}:headline`),
      channel: thread.channel,
      threadTs: thread.threadTs ?? null,
      text: planHeadline(
        p.runId,
        data.cycleMonth,
        scenarios,
        runStaleStock(data.run),
        await centralShortfalls(ctx.db, p.runId),
        data.cycleMonth ? await zeroFilledFamilies(ctx.db, data.cycleMonth) : [],
        data.run.periods,
      ),
    });
  }
  const done = new Set(
    (await ledgerEntries(ctx.db, `run:${p.runId}:`)).filter((r) => r.ts).map((r) => r.postKey),
  );
  const renderMs: number[] = [];
  const uploadMs: number[] = [];
  let posted = 0;
  let skipped = 0;
  let unchanged = 0;
  for (const c of planCharts(data, p.charts)) {
    const key = keyOf(c.key);
    if (done.has(key)) {
      skipped++;
      continue;
    }
    const channel = thread?.channel ?? channels[c.role];
    if (!channel) {
      ctx.logger.warn({ chart: c.key, role: c.role }, 'no channel set for this chart; skipped');
      continue;
    }
    const chart = c.build();
    if (!thread) {
      const fingerprint = createHash('sha256')
        .update(JSON.stringify(chart.spec))
        .update(chart.summary)
        .digest('hex')
        .slice(0, 32);
      const claim = await claimContent(ctx.db, { channel, fingerprint, key });
      if (!claim.mine) {
        // The same picture is being posted by another job right now: come back for its ts.
        if (!claim.owner?.ts) throw new PostInFlightError(claim.ownerKey, CONTENT_WAIT_MS);
        await recordSharedPost(ctx.db, key, claim.owner);
        unchanged++;
        continue;
      }
    }
    // renderMs is the render alone (spec to PNG), what bench/pipeline reports per chart.
    const t0 = performance.now();
    const png = await renderChart(chart.spec, fontDir ? { fontDir } : {});
    const t1 = performance.now();
    const out = await postFileOnce(ctx.db, ctx.slack, {
      key,
      channel,
      threadTs: thread?.threadTs ?? null,
      filename: c.filename,
      title: chart.title,
      altText: chart.altText,
      comment: chart.summary,
      bytes: png.png,
      holder: jobHolder(ctx.job),
      logger: ctx.logger,
      timeoutMs: ctx.config.SOPBOT_SLACK_TIMEOUT_MS,
    });
    renderMs.push(t1 - t0);
    uploadMs.push(performance.now() - t1);
    if (out.posted) posted++;
    else skipped++;
  }
  ctx.logger.info({ runId: p.runId, posted, skipped, unchanged }, 'charts posted');
  return { runId: p.runId, posted, skipped, unchanged, renderMs, uploadMs };
};
