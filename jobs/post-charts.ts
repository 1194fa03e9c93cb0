/**
 * `post-charts`: render a plan run's charts and post each exactly once (the ledger key is
 * the run and the chart), into the channels by kind, or into the thread that asked for the
 * run. With a thread, the headline figures come first.
 *
 * No noise: a chart whose picture and summary are the same as one already posted in that
 * channel (an earlier run with the same numbers) is not posted again. A thread that asked
 * for the run always gets its charts.
 */
import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { runScenarios } from '../db/queries/plan-runs.js';
import { getPost, postsWithPrefix, recordPost } from '../db/queries/slack-posts.js';
import { renderChart } from '../src/charts/render.js';
import { authorsOf, loadRunCharts, withAuthorNames } from '../src/services/chart-data.js';
import { planCharts } from '../src/services/run-charts.js';
import { getSettings } from '../src/services/settings.js';
import { userNamesFor } from '../src/services/user-names.js';
import { postFileOnce, postMessageOnce } from '../src/slack/post-ledger.js';
import { planHeadline } from '../src/slack/presenters/plan-run.js';
import type { Processor } from './processor-types.js';

export const postCharts: Processor<'post-charts'> = async (p, ctx) => {
  const { fontDir } = ctx.worker;
  const loaded = await loadRunCharts(ctx.db, p.runId, { maxFamilies: 3 });
  if (!loaded) throw new UnrecoverableError(`post-charts: plan run ${p.runId} does not exist`);
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
  if (thread) {
    const scenarios = await runScenarios(ctx.db, p.runId);
    await postMessageOnce(ctx.db, ctx.slack, {
      key: `run:${p.runId}:headline`,
      channel: thread.channel,
      threadTs: thread.threadTs ?? null,
      text: planHeadline(p.runId, data.cycleMonth, scenarios),
    });
  }
  const done = new Set(
    (await postsWithPrefix(ctx.db, `run:${p.runId}:`)).filter((r) => r.ts).map((r) => r.postKey),
  );
  const renderMs: number[] = [];
  const uploadMs: number[] = [];
  let posted = 0;
  let skipped = 0;
  let unchanged = 0;
  for (const c of planCharts(data, p.charts)) {
    if (done.has(c.key)) {
      skipped++;
      continue;
    }
    const channel = thread?.channel ?? channels[c.role];
    if (!channel) {
      ctx.logger.warn({ chart: c.key, role: c.role }, 'no channel set for this chart; skipped');
      continue;
    }
    const chart = c.build();
    const contentKey = thread
      ? null
      : `content:${channel}:${createHash('sha256').update(JSON.stringify(chart.spec)).update(chart.summary).digest('hex').slice(0, 32)}`;
    if (contentKey && (await getPost(ctx.db, contentKey))) {
      unchanged++;
      continue;
    }
    // renderMs is the render alone (spec to PNG), what bench/pipeline reports per chart.
    const t0 = performance.now();
    const png = await renderChart(chart.spec, fontDir ? { fontDir } : {});
    const t1 = performance.now();
    const out = await postFileOnce(ctx.db, ctx.slack, {
      key: c.key,
      channel,
      threadTs: thread?.threadTs ?? null,
      filename: c.filename,
      title: chart.title,
      altText: chart.altText,
      comment: chart.summary,
      bytes: png.png,
    });
    renderMs.push(t1 - t0);
    uploadMs.push(performance.now() - t1);
    if (out.posted) posted++;
    else skipped++;
    if (contentKey)
      await recordPost(ctx.db, contentKey, { channel, ts: out.ts, fileId: out.fileId ?? null });
  }
  ctx.logger.info({ runId: p.runId, posted, skipped, unchanged }, 'charts posted');
  return { runId: p.runId, posted, skipped, unchanged, renderMs, uploadMs };
};
