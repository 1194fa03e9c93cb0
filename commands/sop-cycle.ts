/**
 * `/sop cycle`: status (everyone), start / next / close / deadlines (planners and admins).
 * Phases also advance at their deadline (the `phase-deadline` job).
 */
import { type CyclePhase, parsePhaseDays, TIMED_PHASES } from '../src/core/cycle.js';
import { UsageError } from '../src/errors.js';
import { announcePhase } from '../src/services/cycle-posts.js';
import {
  advancePhase,
  closeCycle,
  getOpenCycle,
  PHASE_LABEL,
  requireOpenCycle,
  setPhaseDays,
  startCycle,
} from '../src/services/cycles.js';
import { requirePermission } from '../src/services/members.js';
import { getSettings } from '../src/services/settings.js';
import type { SopCommandContext, SopSubcommand } from '../src/slack/command-types.js';
import { slackDate } from '../src/slack/presenters/format.js';

const USAGE = [
  '/sop cycle                       show the open cycle and its deadlines',
  '/sop cycle start YYYY-MM         open a cycle (planners)',
  '/sop cycle next                  move to the next phase (planners)',
  '/sop cycle close                 close the cycle (planners)',
  '/sop cycle deadlines demand_review=5 supply_review=4 ...   working days per phase',
].join('\n');

async function status(ctx: SopCommandContext): Promise<void> {
  const cycle = await getOpenCycle(ctx.deps.db);
  const settings = await getSettings(ctx.deps.db);
  if (!cycle) {
    await ctx.respond({
      response_type: 'ephemeral',
      text: 'No cycle is open. A planner starts one with `/sop cycle start YYYY-MM`.',
    });
    return;
  }
  // Plain lines, not a code block: Slack renders no date formatting inside one.
  const lines = TIMED_PHASES.map((p) => {
    const d = cycle.deadlines[p];
    const mark = p === cycle.phase ? '▸ ' : '';
    return `${mark}${PHASE_LABEL[p]}: ${d ? slackDate(new Date(d), settings.timezone) : 'n/a'}`;
  });
  await ctx.respond({
    response_type: 'ephemeral',
    text: `*S&OP ${cycle.month}* is in *${PHASE_LABEL[cycle.phase]}*.\n${lines.join('\n')}`,
  });
}

/** What a phase change owes, when the job queue is down: said as it is. */
const QUEUE_BACK: Partial<Record<CyclePhase, string>> = {
  supply_review: 'The job queue is unavailable: the plan will be recomputed as soon as it is back.',
  pre_sop: 'The job queue is unavailable: the plan will be recomputed as soon as it is back.',
  executive: 'The job queue is unavailable: the meeting pack will be posted as soon as it is back.',
};

export const cycle: SopSubcommand = {
  name: 'cycle',
  usage: '/sop cycle [start YYYY-MM | next | close | deadlines phase=days ...]',
  summary: 'run the monthly cycle: phases and deadlines',
  action: 'cycle.read',
  async handle(ctx) {
    const [verb, ...rest] = ctx.args;
    const who = ctx.member.userId;
    const deps = ctx.deps;
    if (verb === undefined || verb === 'status') return status(ctx);
    requirePermission(ctx.member, 'cycle.manage', `${verb} a cycle`);
    switch (verb) {
      case 'start': {
        const month = rest[0];
        if (!month)
          throw new UsageError(
            `Name the month to plan, e.g. \`/sop cycle start 2027-01\`.\n${USAGE}`,
          );
        const c = await startCycle(deps, who, month);
        await announcePhase(ctx.client, deps.db, c);
        await ctx.respond({
          response_type: 'in_channel',
          text: `<@${who}> opened the S&OP cycle *${c.month}* (${PHASE_LABEL[c.phase]}).`,
        });
        return;
      }
      case 'next': {
        const open = await requireOpenCycle(deps.db);
        const ch = await advancePhase(deps, open.id, open.phase, who);
        if (ch.changed) await announcePhase(ctx.client, deps.db, ch.cycle);
        await ctx.respond({
          response_type: 'ephemeral',
          text: ch.changed
            ? `S&OP ${open.month}: ${PHASE_LABEL[ch.from]} → *${PHASE_LABEL[ch.to]}*.${ch.jobsWaiting ? ` ${QUEUE_BACK[ch.to] ?? ''}` : ''}`
            : `S&OP ${open.month} had already moved on; it is in ${PHASE_LABEL[ch.cycle.phase]}.`,
        });
        return;
      }
      case 'close': {
        const open = await requireOpenCycle(deps.db);
        const ch = await closeCycle(deps, open.id, who);
        if (ch.changed) await announcePhase(ctx.client, deps.db, ch.cycle);
        await ctx.respond({
          response_type: 'ephemeral',
          text: `S&OP ${open.month} is closed.${ch.cycle.adopted_scenario_id ? '' : ' No scenario was adopted: the next cycle has no frozen plan to keep.'}`,
        });
        return;
      }
      case 'deadlines': {
        let days: ReturnType<typeof parsePhaseDays>;
        try {
          days = parsePhaseDays(rest);
        } catch (err) {
          throw new UsageError(`${(err as Error).message}.\n${USAGE}`);
        }
        const all = await setPhaseDays(deps.db, who, days);
        await ctx.respond({
          response_type: 'ephemeral',
          text: `Working days per phase for the next cycles: ${Object.entries(all)
            .map(([p, n]) => `${p}=${n}`)
            .join(', ')}.`,
        });
        return;
      }
      default:
        throw new UsageError(`Unknown \`/sop cycle ${verb}\`.\n${USAGE}`);
    }
  },
};
