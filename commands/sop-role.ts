/**
 * `/sop role @user sales|ops|planner|exec|admin` (admins only); `none` takes the role away;
 * `/sop role @user` says their role and changes nothing.
 */
import { z } from 'zod';
import type { Role } from '../src/core/company.js';
import { codeSpan } from '../src/core/text.js';
import { UsageError, ValidationError } from '../src/errors.js';
import {
  type FamiliesLeft,
  getMember,
  ROLE_LABEL,
  ROLES,
  redrawVotesOf,
  removeRole,
  setRole,
} from '../src/services/members.js';
import { slackPerson } from '../src/services/slack-person.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { roleQuorumText, roleVotesText } from '../src/slack/presenters/vote.js';
import { parseUserMention, unlinkedPersonText } from '../src/slack/tokenise.js';

const USAGE = '/sop role @user sales|ops|planner|exec|admin|none';
const roleSchema = z.enum(ROLES as [Role, ...Role[]]);

/**
 * The confirmation, then what the change did to the person's open votes and to the quorums of
 * the votes still open (if anything).
 */
const withVotes = (said: string, ...more: readonly string[]) =>
  [said, ...more.filter((m) => m !== '')].join(' ');

/**
 * Why `userId` cannot be given a role, as a sentence naming what to fix; null when they can: a
 * person of the workspace whose account is active. A role asks for input, votes and actions
 * of someone who would never see them otherwise.
 */
async function notAMember(
  client: Parameters<typeof slackPerson>[0],
  userId: string,
): Promise<string | null> {
  switch (await slackPerson(client, userId)) {
    case 'unknown':
      return `Slack knows no person \`${userId}\` in this workspace; name someone who is in it.`;
    case 'bot':
      return `<@${userId}> is a bot; a role is a person's. Name the person.`;
    case 'deactivated':
      return `<@${userId}>'s Slack account is deactivated: they would never see a nudge, a vote or an action. Name someone who is still in the workspace (\`/sop role <@${userId}> none\` takes away a role they had).`;
    case 'person':
      return null;
  }
}

const listed = (codes: readonly string[]) => codes.map((c) => codeSpan(c)).join(', ');

/**
 * What a sales rep's new role does to the families they cover: nobody is asked for input on
 * those no other rep covers, so the admin is told which, and how to give them to a rep.
 */
function familiesLeftText(left: FamiliesLeft | null, removed = false): string {
  if (left === null) return '';
  // Removed, their list went with them: only the families left without a rep are worth a word.
  if (removed && left.uncovered.length === 0) return '';
  const kept = removed
    ? ''
    : ` They are no longer asked for forecast input on ${listed(left.families)} (kept for them if they are made Sales again)`;
  if (left.uncovered.length === 0) return `${kept}; another sales rep covers each.`;
  // `/sop families` sets a rep's whole list: the families the rep covers already go with them.
  return `${kept}${removed ? '' : '.'} No other sales rep covers ${listed(left.uncovered)}: give ${left.uncovered.length === 1 ? 'it' : 'them'} to one with \`/sop families @rep ${left.uncovered.join(' ')}\`, adding the families that rep covers already (the command sets their whole list; \`/sop families @rep\` shows it).`;
}

export const role: SopSubcommand = {
  name: 'role',
  usage: USAGE,
  summary: 'give a member a role, or see theirs',
  action: 'role.set',
  keywords: ['none', ...ROLES],
  async handle({ deps, args, member, respond, client }) {
    const [who, what, ...extra] = args;
    const userId = who ? parseUserMention(who) : null;
    if (!userId || extra.length > 0)
      throw new UsageError(
        `${(who && unlinkedPersonText(who)) ?? 'Mention one person, then a role'}. Usage: \`${USAGE}\``,
      );
    // Typed to see someone's role: say it, change nothing.
    if (what === undefined) {
      const current = (await getMember(deps.db, userId, deps.config.SOPBOT_ADMIN_USERS)).role;
      await respond({
        response_type: 'ephemeral',
        text: `<@${userId}> ${current ? `is *${ROLE_LABEL[current]}*` : 'has no role in sopbot'}; nothing was changed. Name a role to give them one: \`/sop role <@${userId}> ${ROLES.join('|')}\` (\`none\` takes it away).`,
      });
      return;
    }
    // `none`: the person no longer has a role (they left, or should not be asked for anything).
    if (what.toLowerCase() === 'none') {
      const admins = deps.config.SOPBOT_ADMIN_USERS;
      const change = await removeRole(deps.db, member.userId, userId, {
        bootstrapAdmins: admins,
        now: deps.clock.now(),
      });
      await redrawVotesOf(deps, change);
      const still = admins.includes(userId)
        ? ' SOPBOT_ADMIN_USERS still names them, so they are an admin by it.'
        : '';
      await respond({
        response_type: 'ephemeral',
        text: withVotes(
          `<@${userId}> no longer has a role in sopbot (they were *${ROLE_LABEL[change.from]}*) and covers no families: they are not asked for input, nudged or counted in votes.${still}${familiesLeftText(change.familiesLeft, true)}`,
          roleVotesText(change),
          roleQuorumText(change),
        ),
      });
      return;
    }
    const parsed = roleSchema.safeParse(what.toLowerCase());
    if (!parsed.success)
      throw new UsageError(
        `${codeSpan(what)} is not a role; use one of ${ROLES.join(', ')}. Usage: \`${USAGE}\``,
      );
    // Asked of Slack once, for this one person (users.info, Tier 4); `none` asks nothing: it
    // is how a role is taken from someone who left.
    const why = await notAMember(client, userId);
    if (why) throw new ValidationError(why);
    const change = await setRole(deps.db, member.userId, userId, parsed.data, {
      bootstrapAdmins: deps.config.SOPBOT_ADMIN_USERS,
      now: deps.clock.now(),
    });
    await redrawVotesOf(deps, change);
    await respond({
      response_type: 'ephemeral',
      text: withVotes(
        `<@${userId}> is now *${ROLE_LABEL[parsed.data]}*.${familiesLeftText(change.familiesLeft)}`,
        roleVotesText(change),
        roleQuorumText(change),
      ),
    });
  },
};
