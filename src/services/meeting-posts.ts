/**
 * The meeting's Slack posts, shared by the command handlers and the job processors: the
 * vote message edited in place, the pack in the executive channel, the decision log in the
 * executive channel's thread, and the action owners' DMs. Each first post goes through the
 * slack_posts ledger, so a retry never posts twice.
 */

import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { withSessionLock } from '../../db/queries/adjustments.js';
import { decisionContext, pollAwaitingDecision } from '../../db/queries/decisions.js';
import { getPoll } from '../../db/queries/polls.js';
import {
  decisionVoteOf,
  outOfDateVote,
  replacedRunDecisionNotice,
  replacedRunNotice,
} from '../core/vote.js';
import { ledgerEntry, postMessageOnce, refusedAs, sendEach } from '../slack/post-ledger.js';
import { actionDm } from '../slack/presenters/actions.js';
import { type Adoption, breakOwnerDm, decisionLogMessage } from '../slack/presenters/decision.js';
import { packMessage, packNamed } from '../slack/presenters/pack.js';
import { chairDecisionPrompt, voteMessage } from '../slack/presenters/vote.js';
import { notifyOwners } from './actions.js';
import { requireCycle } from './cycles.js';
import { type DecidedBreak, type DecisionLogEntry, listDecisions } from './decisions.js';
import { buildPack, type PackPeopleLookup } from './pack.js';
import { getPollView, isNewerRun, type PollView } from './polls.js';
import { dmOnce, postOnce } from './reminders.js';
import { getSettings } from './settings.js';
import { refuseIfDeactivated, type SlackPerson } from './slack-person.js';
import { type NamesOptions, type UserNamesOptions, userNamesFor } from './user-names.js';

/** The advisory lock under which the vote message of poll `pollId` is read and edited. */
export const pollDrawLock = (pollId: string) => `poll-draw:${pollId}`;

/**
 * Re-render the poll's message (tally, or outcome once closed), read and edited under the
 * vote's draw lock (`pollDrawLock`, a Postgres session advisory lock, read on its own
 * connection), whichever process draws it: the deadline's job, a click's `poll-refresh`, the
 * chair's Close, a quorum's click, the decision's publish. Without it, a redraw that read
 * "closed, no decision" before `/sop decide` committed could land its chat.update after the
 * decision's redraw, and the message kept "Decision pending" for good. Every change of a vote
 * asks for a redraw after its commit, so the last to take the lock reads the state the vote
 * ends in, after the one before it was edited. Held across one chat.update only, bounded by
 * the client's timeout; a 429 throws (the clients reject them) and lets it go, for the job's
 * retry; nothing else is locked under it.
 */
export async function refreshPollMessage(
  slack: WebClient,
  db: Db,
  pollId: string,
): Promise<PollView> {
  return withSessionLock(db, pollDrawLock(pollId), async (conn) => {
    const view = await getPollView(conn, pollId);
    if (view.poll.channel_id && view.poll.message_ts) {
      const msg = voteMessage(view);
      const channel = view.poll.channel_id;
      await slack.chat
        .update({ channel, ts: view.poll.message_ts, text: msg.text, blocks: msg.blocks })
        // Slack refusing it for good (the bot left the channel) names the vote and its channel.
        .catch((err: unknown) => {
          throw refusedAs(err, `poll:${pollId}:message`, channel);
        });
    }
    return view;
  });
}

/**
 * Tell the cycle's vote that plan run `runId` replaced the run it is on, when it is open or,
 * closed, still owed a decision (`pollAwaitingDecision`): its message is redrawn (the warning,
 * no vote buttons; once closed, no "Decision pending"), and its thread is told once per vote and
 * run (ledger `poll:<id>:replaced:<run>`): an open vote takes no more votes, a closed one no
 * decision on its figures. The job that announces a finished run (post-charts) calls it. Null
 * when no such vote is on an older run; else the vote, and whether this call posted.
 */
export async function noticeReplacedRun(
  slack: WebClient,
  db: Db,
  cycleId: number,
  runId: string,
): Promise<{ pollId: string; posted: boolean } | null> {
  const awaiting = await pollAwaitingDecision(db, cycleId);
  const poll = awaiting ? await getPoll(db, awaiting.id) : null;
  if (!poll || !isNewerRun(runId, poll.run_id)) return null;
  const view = await refreshPollMessage(slack, db, poll.id);
  const { channel_id: channel, message_ts: ts } = view.poll;
  // A vote without its message shows the warning when `/sop vote` posts it.
  if (!channel || !ts) return { pollId: poll.id, posted: false };
  const notice =
    view.poll.status === 'open'
      ? replacedRunNotice(runId, poll.run_id)
      : replacedRunDecisionNotice(runId, poll.run_id, poll.id);
  const sent = await postOnce(
    slack,
    db,
    `poll:${poll.id}:replaced:${runId}`,
    channel,
    { text: `:warning: ${notice}` },
    ts,
  );
  return { pollId: poll.id, posted: sent !== null };
}

/**
 * DM the chair (once) a button that opens the decision modal; nothing when a newer plan run
 * replaced the vote's (no decision is asked for on figures that are out of date).
 */
export async function promptChair(slack: WebClient, db: Db, view: PollView): Promise<void> {
  if (view.replacedBy !== null) return;
  await dmOnce(
    slack,
    db,
    `poll:${view.poll.id}:chair-prompt`,
    view.poll.created_by,
    chairDecisionPrompt(view),
  );
}

/** What `postPack` did: posted now, found posted before (where), or no channel to post in. */
export type PackPost =
  | { readonly outcome: 'posted' | 'already_posted'; readonly channel: string; readonly ts: string }
  | { readonly outcome: 'no_channel' };

/**
 * Post the cycle's pack in the executive channel, once per cycle (ledger `pack:<cycle>`). A
 * pack posted before is reported where it is, even if the channel setting changed since. The
 * open actions' owners who left the workspace are marked (users.info, once per owner); Slack
 * not answering that is logged on `logger` once, and the pack goes out unmarked. Who did
 * something is named, all names read in one go before the pack is posted (userNames: a retry
 * reads them again); Slack not answering a name that is not stored (a 429, a timeout, a 5xx)
 * throws, for the job to be retried (`/sop pack post`: asked to try again in a minute),
 * rather than post the pack with the id for good; on the job's last attempt (`lastAttempt`),
 * only a 429 does, and the pack goes out with the id.
 */
export async function postPack(
  slack: WebClient,
  db: Db,
  cycleId: number,
  now: Date,
  logger: PackPeopleLookup['logger'] & NonNullable<UserNamesOptions['logger']>,
  opts: Pick<NamesOptions, 'lastAttempt'> = {},
): Promise<PackPost> {
  const key = `pack:${cycleId}`;
  const before = await ledgerEntry(db, key);
  if (before?.ts) return { outcome: 'already_posted', channel: before.channel, ts: before.ts };
  const settings = await getSettings(db);
  if (!settings.exec_channel) return { outcome: 'no_channel' };
  const channel = settings.exec_channel;
  const cycle = await requireCycle(db, cycleId);
  const pack = await buildPack(db, cycle.month, now, { slack, logger });
  // Read before anything is posted: a 429 on users.info retries the job, not a pack with ids
  // (on the job's last attempt, only a 429 does: the pack goes out with the id).
  const nameOf = await userNamesFor(db, slack, logger).names(packNamed(pack), {
    retry: true,
    ...opts,
  });
  const msg = packMessage(pack, nameOf);
  const out = await postMessageOnce(db, slack, {
    key,
    channel,
    text: msg.text,
    blocks: msg.blocks,
  });
  return { outcome: out.posted ? 'posted' : 'already_posted', channel, ts: out.ts };
}

/**
 * Post the decision log of `decisionId` in the executive channel, threaded under the vote
 * message (or the pack) when there is one; then DM each action's owner. The
 * `decision-publish` job calls it; every post is keyed, so calling it again sends nothing
 * twice. Slack refusing one of them for good (the bot removed from the channel, an owner who
 * left) stops none of the others: once all were tried, an UndeliveredError names each
 * refused (sendEach).
 */
/**
 * Each owner of a break the decision disposed of is told, once (`decision:<id>:breaks:<owner>`),
 * what it decided about theirs and which it did not decide, in one DM. A decision that
 * supersedes another tells them only of the breaks whose disposition or note it changed. An owner whose account is deactivated is
 * sent nothing (refuseIfDeactivated: recorded, the admins told), as the actions' owners.
 */
async function notifyBreakOwners(
  slack: WebClient,
  db: Db,
  entry: DecisionLogEntry,
  log: readonly DecisionLogEntry[],
  asked: Map<string, SlackPerson>,
): Promise<void> {
  const before = new Map(
    (log.find((e) => e.id === entry.supersedes?.id)?.dispositions ?? []).map((d) => [
      d.deviationId,
      d,
    ]),
  );
  const byOwner = new Map<string, DecidedBreak[]>();
  for (const d of entry.dispositions ?? []) {
    const was = before.get(d.deviationId);
    if (
      !d.owner ||
      (was && was.disposition === d.disposition && was.chosen === d.chosen && was.note === d.note)
    )
      continue;
    byOwner.set(d.owner, [...(byOwner.get(d.owner) ?? []), d]);
  }
  await sendEach(
    [...byOwner],
    ([owner]) => owner,
    async ([owner, breaks]) => {
      const key = `decision:${entry.id}:breaks:${owner}`;
      await refuseIfDeactivated(slack, db, key, owner, asked);
      await dmOnce(slack, db, key, owner, breakOwnerDm(entry, breaks));
    },
  );
}

/**
 * Who recorded the decision is named in its log (the channel's new post), read before it is
 * posted: Slack not answering (a 429, a timeout, a 5xx) throws, for the job to be retried,
 * rather than post the id for good; on the job's last attempt (`lastAttempt`), only a 429 does.
 */
export async function publishDecision(
  slack: WebClient,
  db: Db,
  decisionId: string,
  opts: { readonly logger?: UserNamesOptions['logger'] } & Pick<NamesOptions, 'lastAttempt'> = {},
): Promise<boolean> {
  const row = await decisionContext(db, decisionId);
  const log = await listDecisions(db, row.month);
  const entry = log.find((e) => e.id === decisionId);
  const settings = await getSettings(db);
  let channel = settings.exec_channel;
  let threadTs: string | undefined;
  let vote: Adoption['vote'] = null;
  const view = row.poll_id ? await getPollView(db, row.poll_id) : null;
  if (view) {
    if (entry) {
      vote = decisionVoteOf(
        view.tally,
        entry.scenarioId,
        view.poll.close_reason === 'decided',
        outOfDateVote(view.poll.id, view.poll.run_id, entry.runId),
      );
    }
    if (view.poll.channel_id && view.poll.message_ts) {
      channel = view.poll.channel_id;
      threadTs = view.poll.message_ts;
    }
  }
  if (!threadTs && channel) {
    const pack = await ledgerEntry(db, `pack:${row.cycle_id}`);
    if (pack?.ts && pack.channel === channel) threadTs = pack.ts;
  }
  const steps: { readonly to: string; readonly send: () => Promise<unknown> }[] = [];
  if (view)
    steps.push({
      to: view.poll.channel_id ?? '',
      send: () => refreshPollMessage(slack, db, view.poll.id),
    });
  if (entry && channel) {
    const key = `decision:${decisionId}:log`;
    // The recorder's name, for a log not yet posted (one posted needs nothing from Slack).
    const unposted = !(await ledgerEntry(db, key))?.ts;
    const nameOf = await userNamesFor(db, slack, opts.logger).names(
      unposted ? [entry.decidedBy] : [],
      { retry: true, ...(opts.lastAttempt !== undefined ? { lastAttempt: opts.lastAttempt } : {}) },
    );
    const log = decisionLogMessage(entry, { vote, timezone: settings.timezone }, nameOf);
    steps.push({ to: channel, send: () => postOnce(slack, db, key, channel, log, threadTs) });
  }
  // Each owner's DM, whether or not the channel took the posts above (an UndeliveredError of
  // its own names the owners Slack refused).
  // Whether each owner's account is deactivated is asked once for both (users.info).
  const actions = entry?.actions ?? [];
  const asked = new Map<string, SlackPerson>();
  steps.push({
    to: '',
    send: () => notifyOwners(slack, db, actions, (a) => actionDm(a, 'assigned'), asked),
  });
  if (entry)
    steps.push({
      to: '',
      send: () => notifyBreakOwners(slack, db, entry, log, asked),
    });
  await sendEach(
    steps,
    (s) => s.to,
    (s) => s.send().then(() => undefined),
  );
  return entry !== undefined;
}
