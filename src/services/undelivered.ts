/**
 * What Slack refused to deliver for good, and the people who can fix it told of it.
 *
 * The worker (jobs/runtime.ts) records each refusal of a job's post or DM that no retry can
 * change (`refusalsOf` in src/slack/post-ledger.ts: the conversation, Slack's reason, the
 * ledger key) in `slack_refusals`, and requests one `refusal-notice` job per conversation,
 * reason and company day in the same transaction (the job outbox). That job DMs each admin
 * (the policy's `delivery.problems`: the admin role and SOPBOT_ADMIN_USERS) what was not
 * delivered, where, why, and what to do, under the ledger key
 * `undelivered:<conversation>:<reason>:<day>:<admin>`: a retry, another worker or a second
 * refusal that day sends nothing twice. A notice's own refusal (an admin who left) is
 * recorded but asks for no notice, and the notice goes to nobody about themself.
 * `/sop status` shows admins the unresolved ones; a later post Slack accepts in the same
 * conversation resolves them (the post ledger).
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { actionsWhere } from '../../db/queries/actions.js';
import { openCycle } from '../../db/queries/cycles.js';
import { pollAwaitingDecision } from '../../db/queries/decisions.js';
import { familyCodesOf, roleOf } from '../../db/queries/members.js';
import { getPoll } from '../../db/queries/polls.js';
import {
  monthsOf,
  recordRefusals,
  type UnresolvedRefusal,
  unresolvedRefusals,
} from '../../db/queries/slack-refusals.js';
import type { SettingsRow } from '../../db/schema.js';
import { localDate } from '../core/calendar.js';
import type { CycleDeps } from '../deps.js';
import { type Refusal, sendEach } from '../slack/post-ledger.js';
import {
  type ChannelSetting,
  channelFix,
  conversationRef,
  describePost,
  isPerson,
  monthRefs,
  type PersonAtStake,
  personFix,
  refusalNoticeDm,
  type UndeliveredLine,
} from '../slack/presenters/undelivered.js';
import { membersWhoMay } from './members.js';
import { deliverJobs, requestJob } from './outbox.js';
import { dmOnce } from './reminders.js';
import { getSettings } from './settings.js';

export interface ReportOptions {
  /** False for a notice's own refusals: they are recorded, but tell nobody (no loop). */
  readonly notify: boolean;
  /** The ledger key of a refusal that names none (the failed job's, `job:<name>:<id>`). */
  readonly fallbackKey: string;
}

/**
 * Records `refusals` (at the clock's time) and, with `notify`, requests the admins' notice of
 * each conversation and reason for the company's day, in one transaction; then hands the
 * requests to the queue (what the queue does not take now, the outbox relay delivers).
 */
export async function reportRefusals(
  deps: CycleDeps,
  refusals: readonly Refusal[],
  opts: ReportOptions,
): Promise<void> {
  if (refusals.length === 0) return;
  const now = deps.clock.now();
  const day = localDate(now, (await getSettings(deps.db)).timezone);
  const ids = await deps.db.transaction().execute(async (trx) => {
    await recordRefusals(
      trx,
      refusals.map((r) => ({
        conversation: r.to,
        postKey: r.key ?? opts.fallbackKey,
        reason: r.error,
      })),
      now,
    );
    if (!opts.notify) return [];
    const requested: string[] = [];
    const seen = new Set<string>();
    for (const r of refusals) {
      if (seen.has(`${r.to} ${r.error}`)) continue;
      seen.add(`${r.to} ${r.error}`);
      requested.push(
        await requestJob(trx, 'refusal-notice', { conversation: r.to, reason: r.error, day }),
      );
    }
    return requested;
  });
  if (ids.length > 0) await deliverJobs(deps.db, deps.queue, { ids });
}

/** The settings that name `channel`: demand, supply, exec. */
function settingsNaming(s: SettingsRow, channel: string): ChannelSetting[] {
  return (['demand', 'supply', 'exec'] as const).filter((k) => s[`${k}_channel`] === channel);
}

/** The open cycle's vote still owed a decision, when `user` chairs it. */
async function voteChairedBy(db: Db, user: string): Promise<PersonAtStake['chairs']> {
  const cycle = await openCycle(db);
  const awaiting = cycle ? await pollAwaitingDecision(db, cycle.id) : null;
  const poll = awaiting ? await getPoll(db, awaiting.id) : null;
  return poll?.created_by === user ? { id: poll.id, status: poll.status } : null;
}

/** What `user` holds that waits on them: role, families, open actions, the vote they chair. */
export async function personAtStake(db: Db, user: string): Promise<PersonAtStake> {
  const [role, families, openActions, chairs] = await Promise.all([
    roleOf(db, user),
    familyCodesOf(db, user),
    actionsWhere(db, { owner: user, open: true }),
    voteChairedBy(db, user),
  ]);
  return { role, families, openActions, chairs };
}

/** What an admin does about `reason` in `conversation`, in words. */
async function fixFor(
  db: Db,
  settings: SettingsRow,
  conversation: string,
  reason: string,
): Promise<string> {
  if (isPerson(conversation))
    return personFix(reason, conversation, await personAtStake(db, conversation));
  return channelFix(reason, conversationRef(conversation), settingsNaming(settings, conversation));
}

/** Each refused post of `rows`, described ("the pack of cycle 2027-03"). */
async function describeAll(db: Db, rows: readonly UnresolvedRefusal[]): Promise<string[]> {
  const refs = rows.flatMap((r) => monthRefs(r.postKey));
  const ids = (kind: string) => [
    ...new Set(refs.filter((x) => x.startsWith(`${kind}:`)).map((x) => x.slice(kind.length + 1))),
  ];
  const months = await monthsOf(db, { cycles: ids('cycle').map(Number), polls: ids('poll') });
  return rows.map((r) => describePost(r.postKey, months));
}

export interface NoticeDeps {
  readonly db: Db;
  readonly slack: WebClient;
  /** SOPBOT_ADMIN_USERS. */
  readonly bootstrapAdmins: readonly string[];
}

/**
 * The `refusal-notice` job: DM each admin (but the person it is about) what Slack refuses in
 * `conversation` for `reason`, once per `day` (ledger keys). Nothing when it was resolved
 * since. An admin Slack refuses too does not stop the others (sendEach).
 */
export async function sendRefusalNotice(
  deps: NoticeDeps,
  p: { readonly conversation: string; readonly reason: string; readonly day: string },
): Promise<{ sent: number; admins: number }> {
  const rows = await unresolvedRefusals(deps.db, {
    conversation: p.conversation,
    reason: p.reason,
  });
  if (rows.length === 0) return { sent: 0, admins: 0 };
  const settings = await getSettings(deps.db);
  const msg = refusalNoticeDm({
    conversation: p.conversation,
    reason: p.reason,
    posts: await describeAll(deps.db, rows),
    fix: await fixFor(deps.db, settings, p.conversation, p.reason),
  });
  const admins = (await membersWhoMay(deps.db, 'delivery.problems', deps.bootstrapAdmins)).filter(
    (a) => a !== p.conversation,
  );
  let sent = 0;
  await sendEach(
    admins,
    (a) => a,
    async (admin) => {
      const key = `undelivered:${p.conversation}:${p.reason}:${p.day}:${admin}`;
      if (await dmOnce(deps.slack, deps.db, key, admin, msg)) sent++;
    },
  );
  return { sent, admins: admins.length };
}

/**
 * `/sop status`'s lines for admins: each conversation and reason Slack still refuses, since
 * the company's day of its first refusal, with how many posts and what to do.
 */
export async function undeliveredLines(db: Db): Promise<UndeliveredLine[]> {
  const rows = await unresolvedRefusals(db);
  if (rows.length === 0) return [];
  const settings = await getSettings(db);
  const groups = new Map<string, UnresolvedRefusal[]>();
  for (const r of rows) {
    const k = `${r.conversation} ${r.reason}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const lines: UndeliveredLine[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    lines.push({
      conversation: first.conversation,
      reason: first.reason,
      since: localDate(first.firstRefusedAt, settings.timezone),
      posts: new Set(group.map((r) => r.postKey)).size,
      fix: await fixFor(db, settings, first.conversation, first.reason),
    });
  }
  return lines;
}
