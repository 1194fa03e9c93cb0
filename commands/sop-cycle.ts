/**
 * `/sop cycle`: status and the holidays (everyone), start / next / close / deadlines and
 * holidays add / remove (planners and admins).
 * Phases also advance at their deadline (the `phase-deadline` job). A phase change requests
 * its announcement as a job with the change (services/cycles.ts), so the answer here says
 * what was saved, whatever Slack does with the post.
 */
import { parseTimeOfDay, timeOfDayText } from '../src/core/calendar.js';
import { type CyclePhase, parseDeadlineSettings, TIMED_PHASES } from '../src/core/cycle.js';
import { codeSpan, escInMarks } from '../src/core/text.js';
import { UsageError } from '../src/errors.js';
import { companyDataGap } from '../src/services/company-data.js';
import {
  advancePhase,
  closeCycle,
  type DeadlineSettingsSaved,
  getOpenCycle,
  PHASE_LABEL,
  type RecentPhaseChange,
  recentPhaseChange,
  requireOpenCycle,
  setDeadlineSettings,
  startCycle,
} from '../src/services/cycles.js';
import { addHoliday, removeHoliday, upcomingHolidays } from '../src/services/holidays.js';
import { requirePermission, roleNames } from '../src/services/members.js';
import { getSettings } from '../src/services/settings.js';
import { userNamesFor } from '../src/services/user-names.js';
import type { SopCommandContext, SopSubcommand } from '../src/slack/command-types.js';
import { newCycleDeadlinesText, skippedHolidaysNote } from '../src/slack/presenters/cycle.js';
import { esc, slackDate } from '../src/slack/presenters/format.js';
import { holidayChangeText, holidayListText } from '../src/slack/presenters/holidays.js';
import { carriedScenariosText } from '../src/slack/presenters/scenario.js';
import { noCycleText } from '../src/slack/presenters/status.js';

const MANAGE = `(${roleNames('cycle.manage')})`;

const USAGE = [
  '/sop cycle                       show the open cycle and its deadlines',
  `/sop cycle start YYYY-MM         open a cycle ${MANAGE}`,
  `/sop cycle next [phase]          move to the next phase; name the phase to end to confirm ${MANAGE}`,
  `/sop cycle close                 close the cycle ${MANAGE}`,
  `/sop cycle deadlines demand_review=5 supply_review=4 ... at=17:00   working days per phase, time of day of the deadlines ${MANAGE}`,
  '/sop cycle holidays               the company holidays ahead',
  `/sop cycle holidays add YYYY-MM-DD [name] | remove YYYY-MM-DD   days off deadlines skip ${MANAGE}`,
].join('\n');

/** What each managing verb does, as a refusal names it ("Only … can close the cycle"). */
const MANAGE_WHAT: ReadonlyMap<string, string> = new Map([
  ['start', 'open a cycle'],
  ['next', 'move the cycle to its next phase'],
  ['close', 'close the cycle'],
  ['deadlines', "set the cycles' deadlines"],
]);

async function status(ctx: SopCommandContext): Promise<void> {
  const cycle = await getOpenCycle(ctx.deps.db);
  const settings = await getSettings(ctx.deps.db);
  if (!cycle) {
    await ctx.respond({
      response_type: 'ephemeral',
      text: noCycleText(ctx.member),
    });
    return;
  }
  // Plain lines, not a code block: Slack renders no date formatting inside one.
  const lines = TIMED_PHASES.map((p) => {
    const d = cycle.deadlines[p];
    const mark = p === cycle.phase ? '▸ ' : '';
    const note = skippedHolidaysNote(cycle.skipped_holidays[p]);
    return `${mark}${PHASE_LABEL[p]}: ${d ? `${slackDate(new Date(d), settings.timezone)}${note}` : 'n/a'}`;
  });
  await ctx.respond({
    response_type: 'ephemeral',
    text: `*S&OP ${cycle.month}* is in *${PHASE_LABEL[cycle.phase]}*.\n${lines.join('\n')}`,
  });
}

/** The answer to `/sop cycle deadlines`: what the next cycles get, and what the open one keeps. */
function deadlineSettingsText(saved: DeadlineSettingsSaved, openMonth: string | null): string {
  const keeps = openMonth ? ` S&OP ${openMonth} keeps the deadlines it opened with.` : '';
  return `Deadlines of the next cycles: ${newCycleDeadlinesText(saved.at, saved.timezone, saved.days)}.${keeps}${earlyHint(saved.at)}`;
}

/** Before this hour a deadline leaves its phase's last working day all but uncounted. */
const EARLY_DEADLINE_HOUR = 7;

/**
 * A deadline time before the working day, kept (a plant may run nights) but pointed out: it is
 * far more often the afternoon written on a 12-hour clock (`at=5:00` for 5 pm).
 */
function earlyHint(at: string): string {
  const t = parseTimeOfDay(at);
  if (!t || t.hour >= EARLY_DEADLINE_HOUR) return '';
  const afternoon =
    t.hour >= 1
      ? ` If you meant ${t.hour} pm, write at=${timeOfDayText({ hour: t.hour + 12, minute: t.minute })}.`
      : '';
  return `\n:warning: ${at} is before the working day: each phase's last working day will have barely begun at its deadline.${afternoon}`;
}

/** What a phase change owes, when the job queue is down: said as it is. */
const QUEUE_BACK: Partial<Record<CyclePhase, string>> = {
  supply_review:
    'The job queue is unavailable: the plan will be recomputed as soon as it is back, and the phase announced.',
  pre_sop:
    'The job queue is unavailable: the plan will be recomputed as soon as it is back, and the phase announced.',
  executive:
    'The job queue is unavailable: the meeting pack will be posted as soon as it is back, and the phase announced.',
};
const ANNOUNCEMENT_BACK =
  'The job queue is unavailable: the phase will be announced as soon as it is back.';

/** "12 s ago", "3 min ago". */
function agoText(at: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  return s < 60 ? `${s} s ago` : `${Math.floor(s / 60)} min ago`;
}

/** Why a bare `/sop cycle next` did not move a phase entered moments ago, and how to confirm. */
function recentChangeText(
  month: string,
  phase: CyclePhase,
  change: RecentPhaseChange,
  who: string,
  now: Date,
): string {
  const by =
    change.by === who
      ? 'you moved it there'
      : change.by === 'deadline'
        ? 'its deadline moved it there'
        : `<@${change.by}> moved it there`;
  return `S&OP ${month} entered *${PHASE_LABEL[phase]}* ${agoText(change.at, now)} (${by}); it was not moved again. To end the ${PHASE_LABEL[phase].toLowerCase()} as well, type \`/sop cycle next ${phase}\`.`;
}

/** The phase named in `/sop cycle next <phase>`, or a usage error. */
function phaseToEnd(word: string): CyclePhase {
  // `pre-sop` as `/sop cycle deadlines` takes it.
  const p = word.toLowerCase().replace(/-/g, '_');
  const known = TIMED_PHASES as readonly string[];
  if (!known.includes(p))
    throw new UsageError(
      `${codeSpan(word)} is not a phase to end; name one of ${TIMED_PHASES.join(', ')} (the cycle's current phase), e.g. \`/sop cycle next demand_review\`.`,
    );
  return p as CyclePhase;
}

/** `/sop cycle holidays [add YYYY-MM-DD [name] | remove YYYY-MM-DD]`. */
async function holidays(ctx: SopCommandContext, args: readonly string[]): Promise<void> {
  const [verb, day, ...name] = args;
  const deps = ctx.deps;
  if (verb === undefined || verb.toLowerCase() === 'list') {
    const { upcoming, earlier } = await upcomingHolidays(deps);
    await ctx.respond({ response_type: 'ephemeral', text: holidayListText(upcoming, earlier) });
    return;
  }
  const v = verb.toLowerCase();
  if (v !== 'add' && v !== 'remove')
    throw new UsageError(
      `Unknown \`/sop cycle holidays ${verb}\`: use add, remove, or nothing to list them.\n${USAGE}`,
    );
  requirePermission(ctx.member, 'cycle.manage', `${v} a company holiday`);
  const who = ctx.member.userId;
  const change =
    v === 'add'
      ? await addHoliday(deps, who, day, name.join(' '))
      : await removeHoliday(deps, who, day);
  await ctx.respond({ response_type: 'ephemeral', text: holidayChangeText(change) });
}

export const cycle: SopSubcommand = {
  name: 'cycle',
  usage:
    '/sop cycle [start YYYY-MM | next [phase] | close | deadlines phase=days ... at=HH:MM | holidays [add|remove YYYY-MM-DD]]',
  summary: 'run the monthly cycle: phases and deadlines',
  action: 'cycle.read',
  keywords: ['status', 'holidays', 'list', 'add', 'remove', ...MANAGE_WHAT.keys()],
  // A holiday's name as typed (`holidays add 2027-01-02 Next Day`).
  freeTextFrom: (args) => (args[0] === 'holidays' && args[1] === 'add' ? 3 : args.length),
  async handle(ctx) {
    const [verb, ...rest] = ctx.args;
    const who = ctx.member.userId;
    const deps = ctx.deps;
    if (verb === undefined || verb === 'status') return status(ctx);
    if (verb === 'holidays') return holidays(ctx, rest);
    const what = MANAGE_WHAT.get(verb);
    if (what === undefined) throw new UsageError(`Unknown \`/sop cycle ${verb}\`.\n${USAGE}`);
    requirePermission(ctx.member, 'cycle.manage', what);
    switch (verb) {
      case 'start': {
        const month = rest[0];
        if (!month)
          throw new UsageError(
            `Name the month to plan, e.g. \`/sop cycle start 2027-01\`.\n${USAGE}`,
          );
        const c = await startCycle(deps, who, month);
        // The cycle opens either way; a company with nothing imported yet cannot be planned.
        const gap = await companyDataGap(deps.db);
        // Said to the channel by name, not a mention: it records what they did (a mention in a
        // new message would ping them for it). A name Slack cannot give shows the id.
        const name = await userNamesFor(deps.db, ctx.client, deps.logger).name(who);
        await ctx.respond({
          response_type: 'in_channel',
          text:
            `${escInMarks(name)} opened the S&OP cycle *${c.month}* (${PHASE_LABEL[c.phase]}).` +
            (c.carriedScenarios ? `\n${carriedScenariosText(c.carriedScenarios)}` : '') +
            (gap ? `\n:warning: ${esc(gap)} Until then there is nothing to plan.` : ''),
        });
        return;
      }
      case 'next': {
        const open = await requireOpenCycle(deps.db);
        const named = rest[0] === undefined ? null : phaseToEnd(rest[0]);
        if (named && named !== open.phase) {
          await ctx.respond({
            response_type: 'ephemeral',
            text: `S&OP ${open.month} is in ${PHASE_LABEL[open.phase]}, not ${PHASE_LABEL[named]}: nothing moved.`,
          });
          return;
        }
        // A bare `next` ends the phase its author knows about: one entered moments ago (by a
        // deadline, another planner, or their own command a moment before) is not left
        // without the phase being named.
        const recent = named ? null : await recentPhaseChange(deps, open);
        if (recent) {
          await ctx.respond({
            response_type: 'ephemeral',
            text: recentChangeText(open.month, open.phase, recent, who, deps.clock.now()),
          });
          return;
        }
        const ch = await advancePhase(deps, open.id, open.phase, who);
        await ctx.respond({
          response_type: 'ephemeral',
          text: ch.changed
            ? `S&OP ${open.month}: ${PHASE_LABEL[ch.from]} → *${PHASE_LABEL[ch.to]}*.${ch.jobsWaiting ? ` ${QUEUE_BACK[ch.to] ?? ANNOUNCEMENT_BACK}` : ''}`
            : `S&OP ${open.month} had already moved on; it is in ${PHASE_LABEL[ch.cycle.phase]}.`,
        });
        return;
      }
      case 'close': {
        const open = await requireOpenCycle(deps.db);
        const ch = await closeCycle(deps, open.id, who);
        await ctx.respond({
          response_type: 'ephemeral',
          text: `S&OP ${open.month} is closed.${ch.cycle.adopted_scenario_id ? '' : ' No scenario was adopted: the next cycle has no frozen plan to keep.'}${ch.jobsWaiting ? ` ${ANNOUNCEMENT_BACK}` : ''}`,
        });
        return;
      }
      case 'deadlines': {
        let wanted: ReturnType<typeof parseDeadlineSettings>;
        try {
          wanted = parseDeadlineSettings(rest);
        } catch (err) {
          throw new UsageError(`${(err as Error).message}.\n${USAGE}`);
        }
        const saved = await setDeadlineSettings(deps.db, who, wanted);
        const open = await getOpenCycle(deps.db);
        await ctx.respond({
          response_type: 'ephemeral',
          text: deadlineSettingsText(saved, open?.month ?? null),
        });
        return;
      }
    }
  },
};
