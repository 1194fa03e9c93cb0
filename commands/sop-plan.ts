/**
 * `/sop plan` (planners): recompute the plan now. "Planning…" goes in the channel, and the
 * job answers in that thread with the headline figures and the charts. The same request
 * retried by Slack is one message and one run (ledger key and job id from the request key).
 */
import { UsageError } from '../src/errors.js';
import { getOpenCycle } from '../src/services/cycles.js';
import { enqueueDurably } from '../src/services/outbox.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { MOVED_TO_DM, postWhereInvoked } from '../src/slack/invoking-channel.js';

export const plan: SopSubcommand = {
  name: 'plan',
  usage: '/sop plan',
  summary: 'recompute the plan now; results in the thread',
  action: 'plan.run',
  async handle({ deps, args, command, client, member, requestKey, respond }) {
    if (args.length > 0) throw new UsageError('`/sop plan` takes no arguments.');
    const cycle = await getOpenCycle(deps.db);
    if (!cycle) throw new UsageError('No S&OP cycle is open. Start one with `/sop cycle start`.');
    const msg = await postWhereInvoked(deps.db, client, {
      logger: deps.logger,
      user: member.userId,
      key: `plan-request:${requestKey}`,
      channel: command.channel_id,
      text: `:hourglass_flowing_sand: Planning… <@${member.userId}> asked for a new plan of the ${cycle.month} cycle. Results will follow in this thread.`,
    });
    const d = await enqueueDurably(deps, 'recompute', {
      cycleId: cycle.id,
      reason: 'command',
      requestedBy: member.userId,
      replyTo: { channel: msg.channel, threadTs: msg.ts },
      requestKey,
    });
    if (msg.inDm) await respond({ response_type: 'ephemeral', text: MOVED_TO_DM });
    if (d.pending > 0)
      await respond({
        response_type: 'ephemeral',
        text: ':hourglass: Your request is saved, but the job queue is unavailable: the plan will be computed as soon as it is back, and the results will follow in the thread.',
      });
  },
};
