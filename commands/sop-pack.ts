/**
 * `/sop pack [md|post]`: the executive pack of the open cycle. Shown privately by default;
 * `md` uploads pack.md to the channel (or the DM, where the bot may not share); `post` posts it
 * in the executive channel (planners).
 */
import { isPeriod } from '../src/core/period.js';
import { UsageError } from '../src/errors.js';
import { getCycleByMonth, requireOpenCycle } from '../src/services/cycles.js';
import { postPack } from '../src/services/meeting-posts.js';
import { requirePermission } from '../src/services/members.js';
import { buildPack, packMarkdown } from '../src/services/pack.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { uploadedText, uploadWhereInvoked } from '../src/slack/invoking-channel.js';
import { packMessage } from '../src/slack/presenters/pack.js';

export const pack: SopSubcommand = {
  name: 'pack',
  usage: '/sop pack [YYYY-MM] [md|post]',
  summary: 'the executive meeting pack (ten questions), as a message or pack.md',
  action: 'cycle.read',
  async handle(ctx) {
    const { db, clock } = ctx.deps;
    const month = ctx.args.find((a) => isPeriod(a));
    const how = ctx.args.find((a) => !isPeriod(a)) ?? 'show';
    const cycle = month ? await getCycleByMonth(db, month) : await requireOpenCycle(db);
    if (!cycle) throw new UsageError(`No cycle for ${month}; \`/sop cycle\` shows the open one.`);
    if (how === 'post') {
      requirePermission(ctx.member, 'pack.post', 'post the pack');
      const ts = await postPack(ctx.client, db, cycle.id, clock.now());
      await ctx.respond({
        response_type: 'ephemeral',
        text: ts
          ? 'The pack is posted in the executive channel.'
          : 'The pack was already posted (or no executive channel is set: `/sop settings channels exec #channel`).',
      });
      return;
    }
    const data = await buildPack(db, cycle.month, clock.now());
    if (how === 'md') {
      const filename = `sop-pack-${cycle.month}.md`;
      const where = await uploadWhereInvoked(db, ctx.client, {
        channel: ctx.command.channel_id,
        user: ctx.command.user_id,
        filename,
        title: `S&OP ${cycle.month} executive pack`,
        content: packMarkdown(data),
        logger: ctx.deps.logger,
      });
      await ctx.respond({ response_type: 'ephemeral', text: uploadedText(filename, where) });
      return;
    }
    if (how !== 'show')
      throw new UsageError('Use `/sop pack [YYYY-MM]`, `/sop pack md` or `/sop pack post`.');
    const msg = packMessage(data);
    await ctx.respond({ response_type: 'ephemeral', text: msg.text, blocks: msg.blocks });
  },
};
