/** `/sop families @user FAM-1 FAM-2` (admins and planners): the families a rep covers. */
import { UsageError } from '../src/errors.js';
import { assignFamilies } from '../src/services/members.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { parseUserMention } from '../src/slack/tokenise.js';

const USAGE = '/sop families @user FAM-1 FAM-2 ...';

export const families: SopSubcommand = {
  name: 'families',
  usage: USAGE,
  summary: 'assign the families a sales rep covers (admins, planners)',
  action: 'families.assign',
  async handle({ deps, args, member, respond }) {
    const [who, ...codes] = args;
    const userId = who ? parseUserMention(who) : null;
    if (!userId) throw new UsageError(`Mention the rep first. Usage: \`${USAGE}\``);
    const set = await assignFamilies(deps.db, member.userId, userId, codes);
    await respond({
      response_type: 'ephemeral',
      text: set.length
        ? `<@${userId}> now covers ${set.map((c) => `\`${c}\``).join(', ')}.`
        : `<@${userId}> now covers no families.`,
    });
  },
};
