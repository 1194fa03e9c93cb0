/**
 * Who a Slack user id names, from `users.info` (scope `users:read`, Tier 4): a person of the
 * workspace, a bot, a deactivated account (one who left), or an id Slack does not know here.
 * One call for one choice someone makes (an action's new owner, a role given), never for a
 * list: what sopbot knows of people who left without asking Slack is what Slack refused them
 * (`peopleWhoLeft`, db/queries/slack-refusals.ts).
 */
import { slackError } from '../slack/post-ledger.js';

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

/** Per Slack client: what slackPerson answered of each person lately, and when (Date.now). */
const recent = new WeakMap<
  object,
  Map<string, { readonly is: SlackPerson; readonly at: number }>
>();

/** How long slackPersonLately trusts an answer: a reminder burst asks once per owner. */
export const PERSON_TTL_MS = 3_600_000;

/**
 * slackPerson, remembered in this process for PERSON_TTL_MS: for the DMs a job sends on its
 * own (nudges, reminders), where a morning's reminders would otherwise ask Slack about one owner
 * once per action. A failed lookup is not remembered.
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
  const hit = seen.get(user);
  if (hit && Date.now() - hit.at < PERSON_TTL_MS) return hit.is;
  const is = await slackPerson(slack, user);
  seen.set(user, { is, at: Date.now() });
  return is;
}
