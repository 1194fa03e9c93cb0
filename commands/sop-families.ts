/**
 * `/sop families @user FAM-1 FAM-2` (admins and planners): the families a rep covers;
 * `/sop families` alone lists the company's families and the reps who cover each.
 */
import { codeSpan } from '../src/core/text.js';
import { UsageError } from '../src/errors.js';
import {
  assignFamilies,
  type CompanyFamily,
  companyFamilies,
  getMember,
} from '../src/services/members.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { esc } from '../src/slack/presenters/format.js';
import { parseUserMention, unlinkedPersonText } from '../src/slack/tokenise.js';

const USAGE = '/sop families @user FAM-1 FAM-2 ... | none';

/**
 * The company's families, one a line: code, name (typed text, escaped) and the sales reps who
 * cover it (mentions: the answer is ephemeral, so nobody is notified).
 */
function familyListText(list: readonly CompanyFamily[]): string {
  if (list.length === 0) return 'There are no families yet: `sopbot import families` imports them.';
  const lines = list.map(
    (f) =>
      `• ${codeSpan(f.code)} ${esc(f.name)}: ${f.reps.length ? f.reps.map((r) => `<@${r}>`).join(', ') : '_no sales rep_'}`,
  );
  return [
    `*The company's ${list.length === 1 ? 'family' : `${list.length} families`}* and the sales reps who cover them:`,
    ...lines,
    'Give a rep their families with `/sop families @rep FAM-1 FAM-2` (it sets their whole list).',
  ].join('\n');
}

const listed = (codes: readonly string[]) => codes.map((c) => `\`${c}\``).join(', ');

export const families: SopSubcommand = {
  name: 'families',
  usage: USAGE,
  summary:
    'alone, the families and their sales reps; with a rep, the families they cover: assigned, or shown',
  action: 'families.assign',
  keywords: ['none'],
  async handle({ deps, args, member, respond }) {
    const [who, ...codes] = args;
    if (who === undefined) {
      await respond({
        response_type: 'ephemeral',
        text: familyListText(await companyFamilies(deps.db)),
      });
      return;
    }
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
