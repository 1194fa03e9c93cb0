/**
 * `/sop status`: the open cycle's phase, deadlines, who has not submitted, the latest run;
 * for admins also what Slack refuses to deliver for good, until it is resolved.
 */
import { can } from '../src/core/policy.js';
import { UsageError } from '../src/errors.js';
import { getOpenCycle } from '../src/services/cycles.js';
import { getSettings } from '../src/services/settings.js';
import { cycleStatus } from '../src/services/status.js';
import { undeliveredLines } from '../src/services/undelivered.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { statusText } from '../src/slack/presenters/status.js';
import { undeliveredText } from '../src/slack/presenters/undelivered.js';

const NO_CYCLE = 'No S&OP cycle is open. A planner starts one with `/sop cycle start`.';

export const status: SopSubcommand = {
  name: 'status',
  usage: '/sop status',
  summary: 'phase, deadlines, who has not submitted yet, latest plan run',
  action: 'cycle.read',
  async handle({ deps, args, respond, member }) {
    if (args.length > 0) throw new UsageError('`/sop status` takes no arguments.');
    const [cycle, undelivered] = await Promise.all([
      getOpenCycle(deps.db),
      can(member, 'delivery.problems') ? undeliveredLines(deps.db) : [],
    ]);
    const problems = undeliveredText(undelivered);
    if (!cycle) {
      if (!problems) throw new UsageError(NO_CYCLE);
      await respond({ response_type: 'ephemeral', text: `${NO_CYCLE}\n\n${problems}` });
      return;
    }
    const [s, settings] = await Promise.all([cycleStatus(deps.db, cycle), getSettings(deps.db)]);
    const text = statusText(s, settings.timezone);
    await respond({
      response_type: 'ephemeral',
      text: problems ? `${problems}\n\n${text}` : text,
    });
  },
};
