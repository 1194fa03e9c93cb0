/**
 * Who a Slack user id names, from `users.info` (scope `users:read`, Tier 4): a person of the
 * workspace, a bot, a deactivated account (one who left), or an id Slack does not know here.
 * Asked for a choice someone makes (an action's new owner, a role given: one call), before a
 * DM a job sends on its own (refuseIfDeactivated: a nudge, a reminder, an S&OE deviation's
 * action DM, an S&OE roll-up's owner DM, a live person asked at most once an hour in each
 * process, asked again in every process once the bot hears a `user_change` about them; a
 * decision's action and break owner DMs, once per person in the job; nobody for a DM the
 * ledger already holds), when the pack is built (each owner of an
 * open action once: deactivatedAmong), and by `sopbot doctor` (one call per person with a
 * role). `/sop status` asks Slack nothing: what it knows of people who left is what was
 * refused them (`peopleWhoLeft`, db/queries/slack-refusals.ts).
 */
import type { Db } from '../../db/connect.js';
import { personChange } from '../../db/queries/slack-person-changes.js';
import { resolveDeactivatedRefusals } from '../../db/queries/slack-refusals.js';
import { DEACTIVATED, ledgerEntry, RefusedPostError, slackError } from '../slack/post-ledger.js';

export type SlackPerson = 'person' | 'bot' | 'deactivated' | 'unknown';

/** The part of WebClient used here. */
export interface UsersInfoLookup {
  readonly users: {
    info(args: { user: string }): Promise<{ user?: SlackUserInfo | undefined }>;
  };
}

/** What users.info says of a user that is read here: who they are, and their names. */
export interface SlackUserInfo {
  is_bot?: boolean;
  deleted?: boolean;
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
}

/**
 * What `user` is to Slack; Slack's other failures (a 429, an outage) are thrown as they are.
 * `seen` is given Slack's answer, for the name it carries (learnUserName).
 */
export async function slackPerson(
  slack: UsersInfoLookup,
  user: string,
  seen?: (info: SlackUserInfo) => Promise<void>,
): Promise<SlackPerson> {
  let info: SlackUserInfo | undefined;
  try {
    info = (await slack.users.info({ user })).user;
  } catch (err) {
    if (slackError(err) === 'user_not_found') return 'unknown';
    throw err;
  }
  if (info && seen) await seen(info);
  if (info?.is_bot || user === 'USLACKBOT') return 'bot';
  if (info?.deleted) return 'deactivated';
  return 'person';
}

/**
 * Per Slack client (one per process): the people slackPerson found live lately, when
 * (Date.now), and when their account had last changed then (slack_person_changes, null when
 * never).
 */
const recent = new WeakMap<object, Map<string, { at: number; changed: number | null }>>();

/** How long slackPersonLately trusts a live answer: a reminder burst asks once per owner. */
export const PERSON_TTL_MS = 3_600_000;

/**
 * slackPerson, a live person remembered for PERSON_TTL_MS by this Slack client: for the DMs a
 * job sends on its own (nudges, reminders), where a morning's reminders would otherwise ask
 * Slack about one owner once per action. A remembered answer is trusted only while the
 * person's `changed_at` (slack_person_changes: the last `user_change` the bot heard about
 * them, in any process) is the one read when it was learned: one primary-key read instead of
 * a users.info call, and a worker asks Slack again as soon as the bot hears of a
 * deactivation. That read failing fails the lookup, as the job's own writes would, and the
 * job is retried (its failure logged by the runtime). Any other answer is asked again each
 * time: an account deactivated by mistake and reactivated ten minutes later is nudged at the
 * next try, not refused for an hour. A failed lookup is not remembered.
 */
export async function slackPersonLately(
  slack: UsersInfoLookup,
  db: Db,
  user: string,
): Promise<SlackPerson> {
  let seen = recent.get(slack);
  if (!seen) {
    seen = new Map();
    recent.set(slack, seen);
  }
  const changed = (await personChange(db, user))?.changedAt.getTime() ?? null;
  const known = seen.get(user);
  if (known !== undefined && Date.now() - known.at < PERSON_TTL_MS && known.changed === changed)
    return 'person';
  const is = await slackPerson(slack, user);
  if (is === 'person') seen.set(user, { at: Date.now(), changed });
  else seen.delete(user);
  return is;
}

/**
 * Of `users`, those whose account is deactivated (who left), in the order given: users.info
 * asked at most once for each distinct id (slackPersonLately: a live one remembered an hour).
 * Slack's failures (a 429, an outage) are thrown as they are, at the first: the caller decides
 * what goes out without the answer (the pack: no marks).
 */
export async function deactivatedAmong(
  slack: UsersInfoLookup,
  db: Db,
  users: Iterable<string>,
): Promise<string[]> {
  const left: string[] = [];
  for (const user of new Set(users))
    if ((await slackPersonLately(slack, db, user)) === 'deactivated') left.push(user);
  return left;
}

/**
 * Before a DM a job sends on its own under `key` to `user` (a nudge, a reminder, the DM giving
 * an action to its owner, a break owner's DM of a decision): Slack takes a DM to a deactivated
 * account without a word and nobody reads it, so users.info is asked first and a deactivated
 * account's DM is refused as DEACTIVATED (recorded, the admins told:
 * src/services/undelivered.ts). A DM the ledger already holds is not sent again (dmOnce), so
 * nothing is asked: a retried job asks only about those it has not reached yet, and one
 * deactivated after their DM went out is not recorded as not sent. A live person's earlier
 * DEACTIVATED refusals are resolved (reactivated: `/sop status` waits on them again).
 * Asked through slackPersonLately (a live person remembered an hour: the jobs of a burst, one
 * per action, deviation or phase), or, given `asked`, the job's own answers instead: a job that
 * sends its DMs in one go (a decision's actions and breaks) asks about each person once,
 * whatever Slack answered, and leaves nothing behind it.
 */
export async function refuseIfDeactivated(
  slack: UsersInfoLookup,
  db: Db,
  key: string,
  user: string,
  asked?: Map<string, SlackPerson>,
): Promise<void> {
  if ((await ledgerEntry(db, key))?.ts) return;
  let is = asked?.get(user);
  if (!is) {
    is = asked ? await slackPerson(slack, user) : await slackPersonLately(slack, db, user);
    asked?.set(user, is);
  }
  if (is === 'deactivated') throw new RefusedPostError({ to: user, error: DEACTIVATED, key });
  if (is === 'person') await resolveDeactivatedRefusals(db, user);
}
