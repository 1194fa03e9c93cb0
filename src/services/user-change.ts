/**
 * Slack's `user_change` event (scope `users:read`), sent when a person's account changes:
 * their profile, and their deactivation (`user.deleted: true`, they left) or reactivation
 * (`deleted: false`). sopbot otherwise learns that someone left only when it is about to DM
 * them (refuseIfDeactivated, src/services/slack-person.ts).
 *
 * On either change, what every process remembers of the person's users.info answer is stale
 * (recorded in slack_person_changes, which slackPersonLately reads). A live account's DMs withheld as `deactivated` are resolved, as a live
 * users.info answer resolves them. A deactivation asks for one `user-left` job (the job
 * outbox, keyed by the person and the company's day): it DMs each admin who left and what
 * they held, once per deactivation (left_notified_at; ledger keys
 * `user-left:<user>:<deactivated at>:<admin>`), however often an identity provider's sync says
 * it again, and nothing when sopbot does not know them.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import {
  markLeftNotified,
  personChange,
  recordPersonChange,
} from '../../db/queries/slack-person-changes.js';
import { resolveDeactivatedRefusals } from '../../db/queries/slack-refusals.js';
import type { JobQueue } from '../../jobs/contracts.js';
import { localDate } from '../core/calendar.js';
import type { Clock } from '../deps.js';
import { sendEach } from '../slack/post-ledger.js';
import { holdsAnything, userLeftDm } from '../slack/presenters/undelivered.js';
import { membersWhoMay } from './members.js';
import { enqueueDurably } from './outbox.js';
import { dmOnce } from './reminders.js';
import { getSettings } from './settings.js';
import { slackPerson } from './slack-person.js';
import { personAtStake } from './undelivered.js';

export interface UserChange {
  readonly user: string;
  /** Slack's `user.deleted`: the account is deactivated. */
  readonly deleted: boolean;
}

/**
 * What the bot does on a `user_change` (after its ack): the change recorded (what every
 * process remembers of the person stale); reactivated (or only edited), their `deactivated` refusals resolved; deactivated, the
 * admins' `user-left` job requested for the company's day.
 */
export async function userChanged(
  deps: { readonly db: Db; readonly queue: JobQueue; readonly clock: Clock },
  change: UserChange,
): Promise<'resolved' | 'requested'> {
  await recordPersonChange(deps.db, change.user, change.deleted ? 'deactivated' : 'live');
  if (!change.deleted) {
    await resolveDeactivatedRefusals(deps.db, change.user);
    return 'resolved';
  }
  const day = localDate(deps.clock.now(), (await getSettings(deps.db)).timezone);
  await enqueueDurably(deps, 'user-left', { user: change.user, day });
  return 'requested';
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
