/** `/sop families @user FAM-1 FAM-2` (admins and planners): the families a rep covers. */
import { codeSpan } from '../src/core/text.js';
import { UsageError } from '../src/errors.js';
import { assignFamilies, getMember } from '../src/services/members.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { parseUserMention, unlinkedPersonText } from '../src/slack/tokenise.js';

const USAGE = '/sop families @user FAM-1 FAM-2 ... | none';

const listed = (codes: readonly string[]) => codes.map((c) => `\`${c}\``).join(', ');

export const families: SopSubcommand = {
  name: 'families',
  usage: USAGE,
  summary: 'assign the families a sales rep covers, or see them',
  action: 'families.assign',
  keywords: ['none'],
  async handle({ deps, args, member, respond }) {
    const [who, ...codes] = args;
    const userId = who ? parseUserMention(who) : null;
    if (!userId)
      throw new UsageError(
        `${(who && unlinkedPersonText(who)) ?? 'Mention the rep first'}. Usage: \`${USAGE}\``,
      );
    // No codes asks what the rep covers; it cleared them without a word. `none` clears them.
    if (codes.length === 0) {
      const now = (await getMember(deps.db, userId)).families;
      await respond({
        response_type: 'ephemeral',
        text: `<@${userId}> covers ${now.length ? listed(now) : 'no families'}; nothing was changed. Name the families they cover (\`/sop families <@${userId}> FAM-1 FAM-2\`), or \`none\` to clear them.`,
      });
      return;
    }
    // "FAM-1, FAM-2", as a list is written: a code holds no comma, and `FAM-1,` is no family.
    const commaed = codes.find((c) => c.includes(','));
    if (commaed) {
      const spaced = codes.flatMap((c) => c.split(',')).filter((c) => c !== '');
      throw new UsageError(
        `${codeSpan(commaed)}: a family code has no comma; separate the codes with spaces, as in ${codeSpan(`/sop families @rep ${spaced.join(' ')}`, 200)}.`,
      );
    }
    const clear = codes.length === 1 && codes[0]?.toLowerCase() === 'none';
    const set = await assignFamilies(deps.db, member.userId, userId, clear ? [] : codes);
    await respond({
      response_type: 'ephemeral',
      text: set.length
        ? `<@${userId}> now covers ${listed(set)}.`
        : `<@${userId}> now covers no families.`,
    });
  },
};
