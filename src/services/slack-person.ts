/**
 * Who a Slack user id names, from `users.info` (scope `users:read`, Tier 4): a person of the
 * workspace, a bot, a deactivated account (one who left), or an id Slack does not know here.
 * Asked for a choice someone makes (an action's new owner, a role given: one call), before a
 * DM a job sends on its own (a nudge, a reminder: refuseIfDeactivated, a live person asked at
 * most once an hour in each process, nobody for a DM the ledger already holds), and by
 * `sopbot doctor` (one call per person with a role). `/sop status` asks Slack nothing: what it knows of people who left is what was
 * refused them (`peopleWhoLeft`, db/queries/slack-refusals.ts).
 */
import type { Db } from '../../db/connect.js';
import { resolveDeactivatedRefusals } from '../../db/queries/slack-refusals.js';
import { DEACTIVATED, ledgerEntry, RefusedPostError, slackError } from '../slack/post-ledger.js';

export type SlackPerson = 'person' | 'bot' | 'deactivated' | 'unknown';

/** The part of WebClient used here. */
export interface UsersInfoLookup {
  readonly users: {
    info(args: {
      user: string;
    }): Promise<{ user?: { is_bot?: boolean; deleted?: boolean } | undefined }>;
  };
}

/** What `user` is to Slack; Slack's other failures (a 429, an outage) are thrown as they are. */
export async function slackPerson(slack: UsersInfoLookup, user: string): Promise<SlackPerson> {
  let info: { is_bot?: boolean; deleted?: boolean } | undefined;
  try {
    info = (await slack.users.info({ user })).user;
  } catch (err) {
    if (slackError(err) === 'user_not_found') return 'unknown';
    throw err;
  }
  if (info?.is_bot || user === 'USLACKBOT') return 'bot';
  if (info?.deleted) return 'deactivated';
  return 'person';
}

/** Per Slack client: the people slackPerson found live lately, and when (Date.now). */
const recent = new WeakMap<object, Map<string, number>>();

/** How long slackPersonLately trusts a live answer: a reminder burst asks once per owner. */
export const PERSON_TTL_MS = 3_600_000;

/**
 * slackPerson, a live person remembered in this process for PERSON_TTL_MS: for the DMs a job
 * sends on its own (nudges, reminders), where a morning's reminders would otherwise ask Slack
 * about one owner once per action. Any other answer is asked again each time: an account
 * deactivated by mistake and reactivated ten minutes later is nudged at the next try, not
 * refused for an hour. A failed lookup is not remembered.
 */
export async function slackPersonLately(
  slack: UsersInfoLookup,
  user: string,
): Promise<SlackPerson> {
  let seen = recent.get(slack);
  if (!seen) {
    seen = new Map();
    recent.set(slack, seen);
  }
  const at = seen.get(user);
  if (at !== undefined && Date.now() - at < PERSON_TTL_MS) return 'person';
  const is = await slackPerson(slack, user);
  if (is === 'person') seen.set(user, Date.now());
  else seen.delete(user);
  return is;
}

/**
 * Before a DM a job sends on its own under `key` to `user` (a nudge, a reminder): Slack takes a
 * DM to a deactivated account without a word and nobody reads it, so users.info is asked first
 * (slackPersonLately) and a deactivated account's DM is refused as DEACTIVATED (recorded, the
 * admins told: src/services/undelivered.ts). A DM the ledger already holds is not sent again
 * (dmOnce), so nothing is asked: a retried job asks only about those it has not reached yet,
 * and one deactivated after their DM went out is not recorded as not sent. A live person's
 * earlier DEACTIVATED refusals are resolved (reactivated: `/sop status` waits on them again).
 */
export async function refuseIfDeactivated(
  slack: UsersInfoLookup,
  db: Db,
  key: string,
  user: string,
): Promise<void> {
  if ((await ledgerEntry(db, key))?.ts) return;
  const is = await slackPersonLately(slack, user);
  if (is === 'deactivated') throw new RefusedPostError({ to: user, error: DEACTIVATED, key });
  if (is === 'person') await resolveDeactivatedRefusals(db, user);
}
