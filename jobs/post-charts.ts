/**
 * `post-charts`: render a plan run's charts and post each exactly once (the ledger key is
 * the run and the chart), each in its channel (by kind) as a reply in the cycle's plans
 * thread there (src/services/plan-threads.ts). That thread's message is drawn on the run when
 * it is the cycle's latest (when, why, and in the executive channel each scenario's line); the
 * executive thread gets the run's headline figures (`run:<id>:headline`) before its charts,
 * with what changed since the run before it that people saw (`changesSincePrevious`). So
 * a recompute shows in a channel as one edit, whatever its reason (a submission, an import, a
 * phase change, `/sop plan`). A run the cycle replaced before its job came (a job held up
 * behind a newer run's) still posts, since a vote on it shows its scenario chart, but its
 * headline and chart comments say "replaced by plan run N above". A run outside any cycle
 * posts its charts in the channels.
 *
 * No noise: a chart that looks the same as the latest picture of it in the thread (the words
 * and the figures it prints, and each mark within a pixel: `looksSame`, against what that post
 * showed, kept with its claim as `shownForm`) is not posted again: the run's chart key names
 * that post (the vote shows the chart of its run). Else the picture is claimed atomically
 * through the ledger (`claimContent`, keeping what it shows) as the one that follows that
 * latest post (its fingerprint is what it shows, `shownContent`, and after which post), so two
 * jobs never both post it, and a picture
 * shown before another one (A, B, then A again) is posted again below. A replaced run claims no
 * picture (`contentShown`): its post says "replaced", so a newer run with the same
 * chart posts a copy of its own. A thread that
 * asked for the run (`/sop plan` typed outside the executive channel) and is not a plans
 * thread always gets the headline and charts too, under keys of that thread: a run reused for
 * a second request answers in the second thread too.
 *
 * A run newer than the one the cycle's open vote (or closed vote still owed a decision) is on
 * makes that vote's figures out of date: before the charts, the vote's message is redrawn with
 * a warning and its thread is told, once per vote and run (`noticeReplacedRun`).
 */
import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { latestChartShown } from '../db/queries/chart-fingerprints.js';
import { latestRun, runScenarios } from '../db/queries/plan-runs.js';
import { renderChart } from '../src/charts/render.js';
import { looksSame, type ShownForm, shownContent, shownForm } from '../src/charts/shown.js';
import { runStaleStock } from '../src/core/supply/from-company.js';
import { authorsOf, loadRunCharts, withAuthorNames } from '../src/services/chart-data.js';
import { noticeReplacedRun } from '../src/services/meeting-posts.js';
import { showRunOnThread } from '../src/services/plan-threads.js';
import { zeroFilledFamilies } from '../src/services/planning-baseline.js';
import { isNewerRun } from '../src/services/polls.js';
import { changesSincePrevious } from '../src/services/run-changes.js';
import { type ChannelRole, type PlannedChart, planCharts } from '../src/services/run-charts.js';
import { getSettings } from '../src/services/settings.js';
import { centralShortfalls } from '../src/services/shortfall.js';
import { userNamesFor } from '../src/services/user-names.js';
import {
  CONTENT_WAIT_MS,
  claimContent,
  contentShown,
  jobHolder,
  ledgerEntries,
  ledgerEntry,
  PostInFlightError,
  postFileOnce,
  postMessageOnce,
  recordSharedPost,
} from '../src/slack/post-ledger.js';
import {
  planHeadline,
  plansThreadText,
  type Replaced,
  replacedWords,
} from '../src/slack/presenters/plan-run.js';
import { hash } from './contracts.js';
import { lastAttempt, type Processor } from './processor-types.js';

export const postCharts: Processor<'post-charts'> = async (p, ctx) => {
  if (p.runId === undefined) {
    // The flow's plan job wrote no run (the cycle had closed): nothing to post.
    ctx.logger.info('charts skipped: the plan job wrote no run');
    return { skipped: 'no plan run' };
  }
  const { fontDir } = ctx.worker;
  const loaded = await loadRunCharts(ctx.db, p.runId, { maxFamilies: 3 });
  if (!loaded) throw new UnrecoverableError(`post-charts: plan run ${p.runId} does not exist`);
  // A vote on an older run (open, or closed and owed a decision) is told first, before the
  // names are read (a lookup Slack answers late retries the job): its figures are out of date.
  // The notice is posted once (the ledger), however often the job runs.
  const cycleId = loaded.run.cycle_id;
  const stale =
    cycleId === null ? null : await noticeReplacedRun(ctx.slack, ctx.db, cycleId, p.runId);
  if (stale) ctx.logger.info({ runId: p.runId, ...stale }, 'vote told its plan run was replaced');
  // Charts show people by name: a picture cannot render a <@U…> mention. The plans thread's
  // message names who asked for the run too: it is edited, and posted anew when deleted, and
  // should ping nobody. A picture, once posted, is never drawn again: read before anything is
  // posted, a name Slack may give later (a 429, a timeout, a lost connection, a 5xx) and not
  // stored retries the job rather than draw "U07…" for good, as the pack and the review do;
  // on the job's last attempt only a 429 does, and the charts go out with the id.
  const askedBy = loaded.run.trigger === 'command' ? loaded.run.requested_by : null;
  // What changed since the run before it that people saw, for its headline: who entered each
  // change is named too.
  const changes = await changesSincePrevious(ctx.db, loaded.run);
  const nameOf = await userNamesFor(ctx.db, ctx.slack, ctx.logger).names(
    [
      ...authorsOf(loaded),
      ...(askedBy ? [askedBy] : []),
      ...(changes?.inputs.flatMap((c) => c.by) ?? []),
    ],
    { retry: true, lastAttempt: lastAttempt(ctx.job) },
  );
  const data = withAuthorNames(loaded, nameOf);
  const settings = await getSettings(ctx.db);
  const channels = {
    demand: settings.demand_channel,
    supply: settings.supply_channel,
    exec: settings.exec_channel,
  };
  const scenarios = await runScenarios(ctx.db, p.runId);
  // A run the cycle has replaced since (this job was delayed behind a newer run's) still posts
  // its headline and charts, since a vote on it shows its scenario chart (`run:<id>:scenarios`),
  // but says in each thread that it was replaced, and by a run posted above when it was.
  const runId = p.runId;
  const latest = cycleId === null ? undefined : await latestRun(ctx.db, cycleId);
  const newer = latest && isNewerRun(latest.id, runId) ? latest.id : null;
  const newerPosts = newer
    ? (await ledgerEntries(ctx.db, `run:${newer}:`)).filter((r) => r.ts)
    : [];
  const replacedIn = (channel: string, threadTs: string | null): Replaced | null =>
    newer
      ? {
          by: newer,
          above: newerPosts.some((r) => r.channel === channel && r.threadTs === threadTs),
        }
      : null;
  const short = await centralShortfalls(ctx.db, runId);
  const zeroFilled = data.cycleMonth ? await zeroFilledFamilies(ctx.db, data.cycleMonth) : [];
  const headlineIn = (channel: string, threadTs: string | null) =>
    planHeadline(
      runId,
      data.cycleMonth,
      scenarios,
      runStaleStock(data.run),
      short,
      zeroFilled,
      data.run.periods,
      replacedIn(channel, threadTs),
      changes && {
        since: changes.since,
        inputs: changes.inputs.map((c) => ({ ...c, by: c.by.map(nameOf) })),
        otherInputs: changes.otherInputs,
        previous: changes.previousScenarios,
      },
    );
  const planned = planCharts(data, p.charts);
  // The cycle's plans thread in each channel the run posts to (the executive channel always,
  // for the headline), its message drawn on this run when it is the cycle's latest. A channel
  // that holds several roles has one thread, keyed by the channel; its message lists the
  // scenarios when it is the executive channel.
  const threads = new Map<string, string>();
  if (cycleId !== null && data.cycleMonth) {
    const roles = new Set<ChannelRole>(['exec', ...planned.map((c) => c.role)]);
    const inChannels = new Set<string>();
    for (const role of ['exec', 'supply', 'demand'] as const) {
      const channel = channels[role];
      if (channel && roles.has(role)) inChannels.add(channel);
    }
    const run = {
      id: p.runId,
      trigger: data.run.trigger,
      askedBy: askedBy ? nameOf(askedBy) : null,
      createdAt: data.run.created_at,
    };
    for (const channel of inChannels) {
      const text = plansThreadText(
        data.cycleMonth,
        run,
        settings.timezone,
        channel === channels.exec ? scenarios : null,
      );
      threads.set(
        channel,
        await showRunOnThread(ctx.db, ctx.slack, {
          cycleId,
          channel,
          runId: p.runId,
          text,
          logger: ctx.logger,
        }),
      );
    }
    const exec = channels.exec;
    const execThread = exec ? threads.get(exec) : undefined;
    if (exec && execThread) {
      await postMessageOnce(ctx.db, ctx.slack, {
        logger: ctx.logger,
        key: `run:${p.runId}:headline`,
        channel: exec,
        threadTs: execThread,
        text: headlineIn(exec, execThread),
      });
      // `/sop plan` asked in this thread, and the run answering it was made for an earlier
      // request (its inputs did not change; this flow's job id is not that run's): the thread
      // says so under the request, once per request.
      const reused = ctx.job.id !== `charts-flow-${hash(data.run.run_key)}`;
      if (reused && p.replyTo?.channel === exec && p.replyTo.threadTs === execThread)
        await postMessageOnce(ctx.db, ctx.slack, {
          logger: ctx.logger,
          key: `run:${p.runId}:again:${ctx.job.id ?? 'x'}`,
          channel: exec,
          threadTs: execThread,
          text: `Plan run ${p.runId} above answers this request too: nothing it is computed from has changed since.`,
        });
    }
  }
  // The thread that asked for the run (`/sop plan` typed outside the executive channel), when
  // it is not a plans thread: its own headline and charts, under keys of that thread.
  const thread =
    p.replyTo?.threadTs && threads.get(p.replyTo.channel) !== p.replyTo.threadTs
      ? { channel: p.replyTo.channel, threadTs: p.replyTo.threadTs }
      : null;
  const threadKey = (key: string) => (thread ? `${key}@${thread.channel}:${thread.threadTs}` : key);
  if (thread)
    await postMessageOnce(ctx.db, ctx.slack, {
      logger: ctx.logger,
      key: threadKey(`run:${p.runId}:headline`),
      channel: thread.channel,
      threadTs: thread.threadTs,
      text: headlineIn(thread.channel, thread.threadTs),
    });
  const done = new Set(
    (await ledgerEntries(ctx.db, `run:${p.runId}:`)).filter((r) => r.ts).map((r) => r.postKey),
  );
  const renderMs: number[] = [];
  const uploadMs: number[] = [];
  let posted = 0;
  let skipped = 0;
  let unchanged = 0;
  /** Where each chart goes: its channel's plans thread, then the thread that asked. */
  const places = (c: PlannedChart) => {
    const out: { key: string; channel: string; threadTs: string | null; asked: boolean }[] = [];
    const channel = channels[c.role];
    if (channel)
      out.push({ key: c.key, channel, threadTs: threads.get(channel) ?? null, asked: false });
    else ctx.logger.warn({ chart: c.key, role: c.role }, 'no channel set for this chart; skipped');
    if (thread)
      out.push({
        key: threadKey(c.key),
        channel: thread.channel,
        threadTs: thread.threadTs,
        asked: true,
      });
    return out;
  };
  const prefix = `run:${runId}:`;
  for (const c of planned) {
    const todo = places(c).filter((at) => {
      if (!done.has(at.key)) return true;
      skipped++;
      return false;
    });
    if (todo.length === 0) continue;
    const chart = c.build();
    let png: Awaited<ReturnType<typeof renderChart>> | null = null;
    for (const { key, channel, threadTs, asked } of todo) {
      const replaced = replacedIn(channel, threadTs);
      if (!asked) {
        // The thread's latest picture of this chart: when this one looks the same (its words
        // and printed figures, its marks within a pixel), the run shares that post.
        const latest = await latestChartShown(
          ctx.db,
          channel,
          threadTs,
          c.key.slice(prefix.length),
        );
        // What that post showed, as kept when it was claimed: not its run's chart built again,
        // which reads today's sales and baselines. A post from before it was kept has none, and
        // the chart is posted again unless its picture's fingerprint is already claimed.
        const before = latest?.shown as ShownForm | null | undefined;
        if (latest && before) {
          const shown = looksSame(before, chart) ? await ledgerEntry(ctx.db, latest.postKey) : null;
          if (shown?.ts) {
            await recordSharedPost(ctx.db, key, shown);
            unchanged++;
            continue;
          }
        }
        // Else the picture is claimed as the one following that latest post (its fingerprint:
        // what the chart shows, and after which post), so two jobs with it post it once, and
        // an older post of the same picture (A, then B, then A again) is not the one shared.
        const fingerprint = createHash('sha256')
          .update(shownContent(chart))
          .update(`after:${latest?.ts ?? ''}`)
          .digest('hex')
          .slice(0, 32);
        // A replaced run shows a copy already there, but claims no picture: its post says
        // "replaced", and a newer run with the same chart posts a copy of its own.
        const existing = replaced
          ? await contentShown(ctx.db, { channel, fingerprint })
          : await claimContent(ctx.db, { channel, fingerprint, key, shown: shownForm(chart) }).then(
              (c) => (c.mine ? null : c),
            );
        if (existing) {
          // The same picture is being posted by another job right now: come back for its ts.
          if (!existing.owner?.ts) throw new PostInFlightError(existing.ownerKey, CONTENT_WAIT_MS);
          await recordSharedPost(ctx.db, key, existing.owner);
          unchanged++;
          continue;
        }
      }
      // renderMs is the render alone (spec to PNG), what bench/pipeline reports per chart.
      const t0 = performance.now();
      if (!png) {
        png = await renderChart(chart.spec, fontDir ? { fontDir } : {});
        renderMs.push(performance.now() - t0);
      }
      const t1 = performance.now();
      const out = await postFileOnce(ctx.db, ctx.slack, {
        key,
        channel,
        threadTs,
        filename: c.filename,
        title: chart.title,
        altText: chart.altText,
        comment: replaced
          ? `_Plan run ${p.runId} (${replacedWords(replaced)}):_\n${chart.summary}`
          : chart.summary,
        bytes: png.png,
        holder: jobHolder(ctx.job),
        logger: ctx.logger,
        timeoutMs: ctx.config.SOPBOT_SLACK_TIMEOUT_MS,
      });
      uploadMs.push(performance.now() - t1);
      if (out.posted) posted++;
      else skipped++;
    }
  }
  ctx.logger.info({ runId: p.runId, posted, skipped, unchanged }, 'charts posted');
  return { runId: p.runId, posted, skipped, unchanged, renderMs, uploadMs };
};
