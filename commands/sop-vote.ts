/**
 * `/sop vote [hours]` (planners, executives): post the scenario vote of the open cycle's
 * latest plan run, in the executive channel (or here when none is set).
 */
import { UsageError } from '../src/errors.js';
import { requireOpenCycle } from '../src/services/cycles.js';
import { attachPollMessage, createPoll } from '../src/services/polls.js';
import { postOnce } from '../src/services/reminders.js';
import { getSettings } from '../src/services/settings.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { voteMessage } from '../src/slack/presenters/vote.js';

export const vote: SopSubcommand = {
  name: 'vote',
  usage: '/sop vote [hours open, default 48]',
  summary: 'post the scenario vote (one button per scenario; only executives count)',
  roles: ['planner', 'exec'],
  async handle(ctx) {
    const hoursText = ctx.args[0];
    const hours = hoursText === undefined ? undefined : Number(hoursText.replace(/h$/i, ''));
    if (hours !== undefined && (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 14))
      throw new UsageError(
        `'${hoursText}': give the hours the vote stays open, from 1 to 336 (e.g. \`/sop vote 24\`).`,
      );
    const { db } = ctx.deps;
    const cycle = await requireOpenCycle(db);
    const { view } = await createPoll(ctx.deps, {
      cycle,
      createdBy: ctx.member.userId,
      requestKey: ctx.requestKey,
      ...(hours !== undefined ? { hours } : {}),
    });
    const settings = await getSettings(db);
    const channel = settings.exec_channel ?? ctx.command.channel_id;
    const ts = await postOnce(
      ctx.client,
      db,
      `poll:${view.poll.id}:message`,
      channel,
      voteMessage(view),
    );
    if (ts) await attachPollMessage(db, view.poll.id, channel, ts);
    await ctx.respond({
      response_type: 'ephemeral',
      text: `Vote ${view.poll.id} is open in <#${channel}> with ${view.options.length} scenarios; you chair it (Close button).`,
    });
  },
};
