/**
 * `/sop plan` (planners): recompute the plan now. Typed in the executive channel, "Planning…"
 * is a reply in the cycle's plans thread there (opened now when the cycle has none), where
 * every run of the cycle answers (src/services/plan-threads.ts), and the person is told so;
 * typed elsewhere, "Planning…" goes in that channel, and the job answers in its thread with the
 * headline figures and the charts (the run goes in the plans threads as well). The same request
 * retried by Slack is one message and one run (ledger key and job id from the request key).
 */
import { UsageError } from '../src/errors.js';
import { getOpenCycle } from '../src/services/cycles.js';
import { enqueueDurably } from '../src/services/outbox.js';
import { openPlansThread } from '../src/services/plan-threads.js';
import { getSettings } from '../src/services/settings.js';
import { userNamesFor } from '../src/services/user-names.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { MOVED_TO_DM, postWhereInvoked } from '../src/slack/invoking-channel.js';
import { PostInFlightError, postMessageOnce } from '../src/slack/post-ledger.js';
import { esc } from '../src/slack/presenters/format.js';

export const plan: SopSubcommand = {
  name: 'plan',
  usage: '/sop plan',
  summary: 'recompute the plan now; results in the thread',
  action: 'plan.run',
  async handle({ deps, args, command, client, member, requestKey, respond }) {
    if (args.length > 0) throw new UsageError('`/sop plan` takes no arguments.');
    const cycle = await getOpenCycle(deps.db);
    if (!cycle) throw new UsageError('No S&OP cycle is open. Start one with `/sop cycle start`.');
    // Named, not mentioned: a mention in this new post would notify them of their own request.
    // A person is waiting: no retry; a name Slack cannot give shows the id, logged.
    const asker = await userNamesFor(deps.db, client, deps.logger).name(member.userId);
    const text = `:hourglass_flowing_sand: Planning… ${esc(asker)} asked for a new plan of the ${cycle.month} cycle. Results will follow in this thread.`;
    const key = `plan-request:${requestKey}`;
    const exec = (await getSettings(deps.db)).exec_channel;
    let replyTo: { channel: string; threadTs: string } | null;
    if (exec && command.channel_id === exec) {
      // The cycle's plans thread, where every run of the cycle answers: one edit in the channel.
      // Its message may be in flight (a post whose answer Slack has not given yet: the ledger
      // finds it within a minute). The run goes there all the same (its chart job waits for
      // the message), so the request stands, without its "Planning…" reply.
      const threadTs = await openPlansThread(deps.db, client, cycle, exec).catch((err) => {
        if (err instanceof PostInFlightError) return null;
        throw err;
      });
      replyTo = null;
      if (threadTs) {
        await postMessageOnce(deps.db, client, {
          logger: deps.logger,
          key,
          channel: exec,
          threadTs,
          text,
        });
        replyTo = { channel: exec, threadTs };
      }
    } else {
      const msg = await postWhereInvoked(deps.db, client, {
        logger: deps.logger,
        user: member.userId,
        key,
        channel: command.channel_id,
        text,
      });
      replyTo = { channel: msg.channel, threadTs: msg.ts };
      if (msg.inDm) await respond({ response_type: 'ephemeral', text: MOVED_TO_DM });
    }
    const d = await enqueueDurably(deps, 'recompute', {
      cycleId: cycle.id,
      reason: 'command',
      requestedBy: member.userId,
      replyTo,
      requestKey,
    });
    // Told once the request is recorded (the outbox), so "Planning…" is true when it is read.
    if (exec && command.channel_id === exec)
      await respond({
        response_type: 'ephemeral',
        text: `:hourglass_flowing_sand: Planning… the results will follow in the thread of *Plans for S&OP ${cycle.month}* in this channel.`,
      });
    if (d.pending > 0)
      await respond({
        response_type: 'ephemeral',
        text: ':hourglass: Your request is saved, but the job queue is unavailable: the plan will be computed as soon as it is back, and the results will follow in the thread.',
      });
  },
};
