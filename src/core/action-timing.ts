/**
 * How a done action stood against its due date, counted in calendar days of the company's
 * zone: a due date is a day of that zone, and so is the day it was done (`localDate` of
 * `done_at`), so an action done late in the evening before its due date is one day early
 * whatever UTC says.
 */
import { daysBetween } from './calendar.js';

/** Days done before the due date (YYYY-MM-DD both): positive early, 0 on it, negative late. */
export function daysEarly(due: string, doneOn: string): number {
  return daysBetween(doneOn, due);
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** "done 3 days early", "done on its due date", "done 2 days late". */
export function doneTiming(due: string, doneOn: string): string {
  const early = daysEarly(due, doneOn);
  if (early > 0) return `done ${days(early)} early`;
  if (early < 0) return `done ${days(-early)} late`;
  return 'done on its due date';
}

/**
 * Of done actions (`doneOn` null: not done, not counted), how many were done before their due
 * date and how many after it; those done on it are in neither.
 */
export function earlyAndLate(actions: readonly { due: string; doneOn: string | null }[]): {
  early: number;
  late: number;
} {
  let early = 0;
  let late = 0;
  for (const a of actions) {
    if (a.doneOn === null) continue;
    const d = daysEarly(a.due, a.doneOn);
    if (d > 0) early++;
    else if (d < 0) late++;
  }
  return { early, late };
}

/**
 * When a follow-up action is overdue: open, and due before `day` (YYYY-MM-DD, the company's
 * today). The one rule `/sop actions`, `/sop decisions`, App Home, the pack and the review
 * mark it by.
 */
export function isOverdue(
  a: { readonly status: string | null; readonly due_date: string | null },
  day: string,
): boolean {
  return a.status === 'open' && a.due_date !== null && a.due_date < day;
}
