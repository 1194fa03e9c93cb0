/**
 * Slack's `user_change` event (scope `users:read`), sent when a person's account changes:
 * their profile, and their deactivation (`user.deleted: true`, they left) or reactivation
 * (`deleted: false`). sopbot otherwise learns that someone left only when it is about to DM
 * them (refuseIfDeactivated, src/services/slack-person.ts).
 *
 * Only a person sopbot knows (a role, an open action, SOPBOT_ADMIN_USERS, DMs withheld as
 * deactivated, a deactivation recorded) costs more than one read: every profile edit of the
 * workspace comes here. For them the change is recorded in slack_person_changes, which every
 * process reads before trusting a live users.info answer it remembers. A live account's DMs
 * withheld as `deactivated` are resolved once users.info agrees (events may come out of
 * order). A deactivation asks for one `user-left` job (the job outbox, keyed by the person and
 * the company's day): it DMs each admin who left and what they held, once per deactivation
 * (left_notified_at; ledger keys `user-left:<user>:<deactivated at>:<admin>`), however often
 * an identity provider's sync says it again.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import {
  markLeftNotified,
  personChange,
  personStanding,
  recordPersonChange,
} from '../../db/queries/slack-person-changes.js';
import { resolveDeactivatedRefusals } from '../../db/queries/slack-refusals.js';
import type { JobQueue } from '../../jobs/contracts.js';
import { localDate } from '../core/calendar.js';
import type { Clock } from '../deps.js';
import { sendEach } from '../slack/post-ledger.js';
import { holdsAnything, userLeftDm } from '../slack/presenters/undelivered.js';
import { membersWhoMay } from './members.js';
import { deliverJobs, requestJob } from './outbox.js';
import { dmOnce } from './reminders.js';
import { getSettings } from './settings.js';
import { slackPerson, type UsersInfoLookup } from './slack-person.js';
import { personAtStake } from './undelivered.js';

export interface UserChange {
  readonly user: string;
  /** Slack's `user.deleted`: the account is deactivated. */
  readonly deleted: boolean;
}

/**
 * What the bot does on a `user_change` (after its ack): nothing for someone sopbot does not
 * know; otherwise the change recorded (what every process remembers of them stale), and,
 * deactivated, the admins' `user-left` job requested for the company's day; live again (users.info
 * agreeing), the deactivation undone and their `deactivated` refusals resolved.
 */
export async function userChanged(
  deps: {
    readonly db: Db;
    readonly queue: JobQueue;
    readonly clock: Clock;
    readonly slack: UsersInfoLookup;
    readonly bootstrapAdmins: readonly string[];
  },
  change: UserChange,
): Promise<'skipped' | 'recorded' | 'resolved' | 'requested'> {
  const standing = await personStanding(deps.db, change.user);
  if (!standing.known && !deps.bootstrapAdmins.includes(change.user)) return 'skipped';
  if (change.deleted) {
    const day = localDate(deps.clock.now(), (await getSettings(deps.db)).timezone);
    // The deactivation recorded and its job requested together (the job reads the record).
    const id = await deps.db.transaction().execute(async (trx) => {
      await recordPersonChange(trx, change.user, 'deactivated');
      return requestJob(trx, 'user-left', { user: change.user, day });
    });
    await deliverJobs(deps.db, deps.queue, { ids: [id] });
    return 'requested';
  }
  // A profile edit of a live account: nothing to undo, nothing to ask Slack.
  if (!standing.deactivated && !standing.refusedDeactivated) {
    await recordPersonChange(deps.db, change.user, 'unchanged');
    return 'recorded';
  }
  // Said live after a deactivation: Slack's word now, as an older event may come last.
  // Slack's failures are thrown (logged by the listener).
  if ((await slackPerson(deps.slack, change.user)) !== 'person') {
    await recordPersonChange(deps.db, change.user, 'unchanged');
    return 'recorded';
  }
  await recordPersonChange(deps.db, change.user, 'live');
  if (standing.refusedDeactivated) await resolveDeactivatedRefusals(deps.db, change.user);
  return 'resolved';
}

/**
 * The `user-left` job: DM each admin (but the person who left) who left and what they held,
 * once for the person's deactivation, whichever day's job runs. Nothing when sopbot does not
 * know them (no role, families, open actions or vote, and not in SOPBOT_ADMIN_USERS), when the
 * admins were told of this deactivation already, nor when it was undone since (the row, or
 * users.info saying the account is live again). An admin Slack refuses does not stop the
 * others (sendEach); a retry sends only what the ledger does not hold, and the deactivation is
 * marked told once every admin has theirs.
 */
export async function tellAdminsUserLeft(
  deps: { readonly db: Db; readonly slack: WebClient; readonly bootstrapAdmins: readonly string[] },
  p: { readonly user: string; readonly day: string },
): Promise<{ sent: number; admins: number }> {
  const change = await personChange(deps.db, p.user);
  const since = change?.deactivatedAt;
  if (!since || change.leftNotifiedAt) return { sent: 0, admins: 0 };
  const held = await personAtStake(deps.db, p.user);
  const bootstrap = deps.bootstrapAdmins.includes(p.user);
  if (!holdsAnything(held) && !bootstrap) return { sent: 0, admins: 0 };
  // Slack's word when the DMs go out: an account reactivated since the event (a deactivation
  // undone) is told to nobody. Slack's failures (a 429) fail the job, which is tried again.
  if ((await slackPerson(deps.slack, p.user)) !== 'deactivated') return { sent: 0, admins: 0 };
  const msg = userLeftDm(p.user, held, bootstrap);
  const admins = (await membersWhoMay(deps.db, 'delivery.problems', deps.bootstrapAdmins)).filter(
    (a) => a !== p.user,
  );
  const key = `user-left:${p.user}:${since.toISOString()}`;
  let sent = 0;
  await sendEach(
    admins,
    (a) => a,
    async (admin) => {
      if (await dmOnce(deps.slack, deps.db, `${key}:${admin}`, admin, msg)) sent++;
    },
  );
  await markLeftNotified(deps.db, p.user, since);
  return { sent, admins: admins.length };
}
