/** `/sop status` in words: phase, deadlines, who owes input, the latest plan run. */
import { TIMED_PHASES } from '../../core/cycle.js';
import { PHASE_LABEL } from '../../services/cycles.js';
import type { CycleStatus } from '../../services/status.js';
import { esc, slackDate } from './format.js';

/** An instant in each reader's zone (fallback: the company's `zone`, named). */
function when(iso: string | Date, zone: string): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return String(iso);
  return slackDate(d, zone);
}

const MAX_LISTED = 15;

/** Why a run was made (its trigger, a recompute reason), as a planner says it. */
const TRIGGER: Readonly<Record<string, string>> = {
  submission: 'after a forecast or capacity change',
  command: 'asked with `/sop plan`',
  import: 'after an import',
  schedule: 'the daily recompute',
  whatif: 'a what-if',
  cycle: 'on a phase change',
};

/** `timezone` is the company's (settings.timezone). */
export function statusText(s: CycleStatus, timezone: string): string {
  const lines = [`*S&OP cycle ${s.cycle.month}*: ${PHASE_LABEL[s.cycle.phase]}`];
  const deadlines = TIMED_PHASES.filter((p) => s.deadlines[p]).map(
    (p) =>
      `${p === s.cycle.phase ? '▸ ' : ''}${PHASE_LABEL[p]}: ${when(s.deadlines[p] ?? '', timezone)}`,
  );
  lines.push(
    deadlines.length > 0 ? `*Deadlines*\n${deadlines.join('\n')}` : '*Deadlines*: none set',
  );
  if (s.pendingReps.length === 0)
    lines.push('*Forecast input*: every sales rep has answered for every family.');
  else {
    const shown = s.pendingReps.slice(0, MAX_LISTED).map((r) => {
      const fams = esc(r.families.slice(0, 6).join(', '));
      const more = r.families.length > 6 ? ` and ${r.families.length - 6} more` : '';
      return `• <@${r.userId}>: ${fams}${more}`;
    });
    const extra =
      s.pendingReps.length > MAX_LISTED ? [`…and ${s.pendingReps.length - MAX_LISTED} more`] : [];
    lines.push(
      `*Not submitted yet* (neither an adjustment nor "no change"): ${s.pendingReps.length}\n${[...shown, ...extra].join('\n')}`,
    );
  }
  if (s.openConstraints.length > 0)
    lines.push(
      `*Open constraints (ops)*\n${s.openConstraints.map((c) => `• <@${c.userId}>: ${c.count}`).join('\n')}`,
    );
  lines.push(
    s.latestRun
      ? `*Latest plan run*: #${s.latestRun.id}, ${when(s.latestRun.createdAt, timezone)} (${TRIGGER[s.latestRun.trigger] ?? esc(s.latestRun.trigger)})${s.latestRun.staleStock ? `\n:warning: ${esc(s.latestRun.staleStock)}.` : ''}`
      : '*Latest plan run*: none yet this cycle. Run `/sop plan`.',
  );
  return lines.join('\n\n');
}
