/**
 * `/sop status`: the open cycle's phase, deadlines, who has not submitted, the latest run;
 * for admins also what Slack refuses to deliver for good, until it is resolved.
 */
import type { CycleRow } from '../db/schema.js';
import { can } from '../src/core/policy.js';
import type { AppDeps } from '../src/deps.js';
import { UsageError } from '../src/errors.js';
import { getOpenCycle } from '../src/services/cycles.js';
import type { Member } from '../src/services/members.js';
import { getSettings } from '../src/services/settings.js';
import { cycleStatus } from '../src/services/status.js';
import { undeliveredLines } from '../src/services/undelivered.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { noCycleText, owingText, statusText } from '../src/slack/presenters/status.js';
import { undeliveredText } from '../src/slack/presenters/undelivered.js';

async function cycleText(deps: AppDeps, cycle: CycleRow, member: Member): Promise<string> {
  const [s, settings] = await Promise.all([cycleStatus(deps.db, cycle), getSettings(deps.db)]);
  return statusText(s, settings.timezone, member);
}

/** `/sop status owing`: every rep who owes input, each with all their families. */
async function owing(deps: AppDeps, member: Member): Promise<string> {
  const cycle = await getOpenCycle(deps.db);
  return cycle ? owingText(await cycleStatus(deps.db, cycle), member) : noCycleText(member);
}

export const status: SopSubcommand = {
  name: 'status',
  usage: '/sop status [owing]',
  summary: 'phase, deadlines, who has not submitted yet, latest plan run',
  action: 'cycle.read',
  keywords: ['owing'],
  async handle({ deps, args, respond, member }) {
    const [what, ...rest] = args;
    if (what?.toLowerCase() === 'owing' && rest.length === 0) {
      await respond({ response_type: 'ephemeral', text: await owing(deps, member) });
      return;
    }
    if (args.length > 0)
      throw new UsageError(
        '`/sop status` takes no arguments but `owing` (`/sop status owing` lists every rep who owes input).',
      );
    const [cycle, undelivered] = await Promise.all([
      getOpenCycle(deps.db),
      can(member, 'delivery.problems') ? undeliveredLines(deps.db) : [],
    ]);
    const problems = undeliveredText(undelivered);
    // No cycle is where a workspace starts and where each cycle ends: a state, not a mistake.
    const text = cycle ? await cycleText(deps, cycle, member) : noCycleText(member);
    await respond({
      response_type: 'ephemeral',
      text: problems ? `${problems}\n\n${text}` : text,
    });
  },
};
