/** `/sop cycle holidays`: the list, and what adding or removing one did. Names are typed: escaped. */
import type { HolidayRow } from '../../../db/schema.js';
import { weekdayOf } from '../../core/calendar.js';
import { PHASE_LABEL } from '../../core/cycle.js';
import type { HolidayChange } from '../../services/holidays.js';
import { esc } from './format.js';

const WEEKDAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Fri 2027-01-01". */
function dayText(day: string): string {
  return `${WEEKDAY[weekdayOf(day) - 1]} ${day}`;
}

const holidayText = (day: string, name: string | null) =>
  name ? `${dayText(day)} ${esc(name)}` : dayText(day);

/** The holidays from today on, and how many earlier ones are listed. */
export function holidayListText(upcoming: readonly HolidayRow[], earlier: number): string {
  const before = earlier > 0 ? ` (and ${earlier} earlier)` : '';
  if (upcoming.length === 0)
    return `No company holidays ahead${before}: deadlines count Monday to Friday. Planners and admins add one with \`/sop cycle holidays add 2027-01-01 New Year's Day\`.`;
  return [
    `*Company holidays ahead*${before}: deadlines of the next cycles skip them like weekends.`,
    ...upcoming.map((h) => `• ${holidayText(h.day, h.name)}`),
  ].join('\n');
}

/** What the open cycle does about the day: it keeps its deadlines, one of them on the day. */
function openCycleText(change: HolidayChange): string {
  const open = change.openCycle;
  const changed = change.outcome !== 'unchanged' && change.outcome !== 'not_listed';
  if (!open || change.weekend || !changed) return '';
  const on = open.deadlinesOn.map((p) => PHASE_LABEL[p]);
  return on.length > 0
    ? ` S&OP ${open.month} keeps the deadlines it opened with: its ${on.join(' and ')} still ends that day.`
    : ` S&OP ${open.month} keeps the deadlines it opened with.`;
}

/** The answer to `/sop cycle holidays add|remove`. */
export function holidayChangeText(change: HolidayChange): string {
  const what = holidayText(change.day, change.name);
  const weekend = change.weekend ? ' It is a weekend day: deadlines skip it anyway.' : '';
  const past =
    change.past && !change.weekend ? ' It has passed: no deadline to come counts over it.' : '';
  const tail = `${weekend}${past}${openCycleText(change)}`;
  switch (change.outcome) {
    case 'added':
      return `Holiday added: ${what}. Deadlines of the next cycles skip it.${tail}`;
    case 'renamed':
      return `Holiday renamed: ${what}.${tail}`;
    case 'removed':
      return `Holiday removed: ${what}. Deadlines of the next cycles count it as a working day.${tail}`;
    case 'unchanged':
      return `${what} is already a company holiday; nothing changed.`;
    case 'not_listed':
      return `${dayText(change.day)} is not a company holiday; nothing to remove.`;
  }
}
