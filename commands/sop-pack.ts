/**
 * `/sop pack [md|post]`: the executive pack of the open cycle. Shown privately by default;
 * `md` uploads sop-pack-YYYY-MM.md to the channel (or the DM, where the bot may not share); `post` posts it
 * in the executive channel (who may: the `pack.post` row of the policy).
 */
import { resolveMonth } from '../src/core/explain/grammar.js';
import { isPeriod } from '../src/core/period.js';
import { codeSpan } from '../src/core/text.js';
import type { AppDeps } from '../src/deps.js';
import { UsageError } from '../src/errors.js';
import { getCycleByMonth, getLatestCycle, requireOpenCycle } from '../src/services/cycles.js';
import { type PackPost, postPack } from '../src/services/meeting-posts.js';
import { requirePermission } from '../src/services/members.js';
import { buildPack, packMarkdown, packPeople } from '../src/services/pack.js';
import { userNamesFor } from '../src/services/user-names.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { uploadedText, uploadWhereInvoked } from '../src/slack/invoking-channel.js';
import { refusalsOf } from '../src/slack/post-ledger.js';
import { packMessage, packNamed } from '../src/slack/presenters/pack.js';
import { refusedPostHelp } from '../src/slack/presenters/undelivered.js';

/** What `/sop pack post` did, or Slack refusing the executive channel for good. */
type PackPostAnswer = PackPost | { outcome: 'refused'; channel: string; error: string };

/** The answer to `/sop pack post`: one sentence for each thing that can have happened. */
function packPostText(month: string, out: PackPostAnswer): string {
  switch (out.outcome) {
    case 'posted':
      return `The ${month} pack is posted in <#${out.channel}>.`;
    case 'already_posted':
      return `The ${month} pack was already posted in <#${out.channel}>; it is posted once per cycle.`;
    case 'no_channel':
      return `The pack was not posted: no executive channel is set. Set one with \`/sop settings channels exec #channel\`, then \`/sop pack post\` again.`;
    case 'refused':
      return `:warning: The pack was not posted in <#${out.channel}>: ${refusedPostHelp(out.error, out.channel, 'exec', '`/sop pack post` again')}`;
  }
}

const VERBS = ['show', 'md', 'post'] as const;
type PackVerb = (typeof VERBS)[number];
const isVerb = (word: string): word is PackVerb => (VERBS as readonly string[]).includes(word);

/**
 * The month and the verb typed after `/sop pack`, in either order. A word that is neither
 * (`Nov`, `2026-1`, `psot`) is refused by name before anything is read or posted: taken for
 * nothing, it posted the open cycle's pack where another month's was asked for.
 */
async function packWords(
  db: AppDeps['db'],
  args: readonly string[],
): Promise<{ month: string | undefined; how: PackVerb }> {
  const months = args.filter((a) => isPeriod(a));
  const verbs = args.filter(isVerb);
  const verb = verbs[0] ?? 'show';
  const other = args.find((a) => !isPeriod(a) && !isVerb(a));
  if (other !== undefined) {
    // The example reads the word as a month where it names one (`Nov`: the next November
    // from the latest cycle's month), else the latest cycle's month.
    const latest = (await getLatestCycle(db))?.month;
    const example = latest ? (resolveMonth(other, latest) ?? latest) : null;
    const typed = `/sop pack ${example ?? 'YYYY-MM'}${verb === 'show' ? '' : ` ${verb}`}`;
    throw new UsageError(
      `${codeSpan(other)} is not a month; write it as YYYY-MM, e.g. ${codeSpan(typed)}.`,
    );
  }
  if (months.length > 1 || verbs.length > 1)
    throw new UsageError(
      `${codeSpan(args.join(' '))}: give at most one month (YYYY-MM) and one of ${VERBS.join(', ')}, e.g. \`/sop pack ${months[0] ?? 'YYYY-MM'} post\`.`,
    );
  return { month: months[0], how: verb };
}

export const pack: SopSubcommand = {
  name: 'pack',
  usage: '/sop pack [YYYY-MM] [md]',
  summary: 'the executive meeting pack (ten questions); md: the file sop-pack-YYYY-MM.md',
  action: 'cycle.read',
  keywords: VERBS,
  parts: [
    {
      usage: '/sop pack [YYYY-MM] post',
      summary: 'post the pack in the executive channel',
      action: 'pack.post',
      brief: '`/sop pack post`',
    },
  ],
  async handle(ctx) {
    const { db, clock } = ctx.deps;
    const { month, how } = await packWords(db, ctx.args);
    const cycle = month ? await getCycleByMonth(db, month) : await requireOpenCycle(db);
    if (!cycle) throw new UsageError(`No cycle for ${month}; \`/sop cycle\` shows the open one.`);
    if (how === 'post') {
      requirePermission(ctx.member, 'pack.post', 'post the pack');
      let out: PackPostAnswer;
      try {
        out = await postPack(ctx.client, db, cycle.id, clock.now(), ctx.deps.logger);
      } catch (err) {
        // Slack refuses the executive channel for good: what to do is the planner's to hear.
        const refused = refusalsOf(err)[0];
        if (!refused) throw err;
        out = { outcome: 'refused', channel: refused.to, error: refused.error };
      }
      await ctx.respond({ response_type: 'ephemeral', text: packPostText(cycle.month, out) });
      return;
    }
    // Owners who left are marked as in the posted pack (users.info, once per owner).
    const data = await buildPack(db, cycle.month, clock.now(), {
      slack: ctx.client,
      logger: ctx.deps.logger,
    });
    if (how === 'md') {
      const filename = `sop-pack-${cycle.month}.md`;
      const where = await uploadWhereInvoked(db, ctx.client, {
        channel: ctx.command.channel_id,
        user: ctx.command.user_id,
        filename,
        title: `S&OP ${cycle.month} executive pack`,
        // People by name, as `sopbot pack` writes them: Slack renders no mention in a file.
        content: packMarkdown(
          data,
          await userNamesFor(db, ctx.client, ctx.deps.logger).names(packPeople(data)),
        ),
        logger: ctx.deps.logger,
      });
      await ctx.respond({ response_type: 'ephemeral', text: uploadedText(filename, where) });
      return;
    }
    const msg = packMessage(
      data,
      await userNamesFor(db, ctx.client, ctx.deps.logger).names(packNamed(data)),
    );
    await ctx.respond({ response_type: 'ephemeral', text: msg.text, blocks: msg.blocks });
  },
};
