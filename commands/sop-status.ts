/** `/sop status`: the open cycle's phase, deadlines, who has not submitted, the latest run. */
import { UsageError } from '../src/errors.js';
import { getOpenCycle } from '../src/services/cycles.js';
import { getSettings } from '../src/services/settings.js';
import { cycleStatus } from '../src/services/status.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { statusText } from '../src/slack/presenters/status.js';

export const status: SopSubcommand = {
  name: 'status',
  usage: '/sop status',
  summary: 'phase, deadlines, who has not submitted yet, latest plan run',
  action: 'cycle.read',
  async handle({ deps, args, respond }) {
    if (args.length > 0) throw new UsageError('`/sop status` takes no arguments.');
    const cycle = await getOpenCycle(deps.db);
    if (!cycle)
      throw new UsageError('No S&OP cycle is open. A planner starts one with `/sop cycle start`.');
    const [s, settings] = await Promise.all([cycleStatus(deps.db, cycle), getSettings(deps.db)]);
    await respond({ response_type: 'ephemeral', text: statusText(s, settings.timezone) });
  },
};
