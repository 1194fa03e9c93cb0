/**
 * What an executive meeting decides about a break of the frozen plan that weekly S&OE escalated
 * to it: grant an exception (the frozen plan may change for it), hold the plan (the deviation
 * is absorbed), or defer it to the next meeting, which takes it up again. Recorded with the
 * decision (`break_dispositions`); a form left untouched defers, so nothing escalated is decided
 * by default. A decision typed without the form chooses nothing: its breaks are not decided
 * (`chosen` false) and come back all the same.
 */

export const BREAK_DISPOSITIONS = ['exception', 'hold', 'defer'] as const;
export type BreakDisposition = (typeof BREAK_DISPOSITIONS)[number];

/**
 * What the form offers (option text: at most 75 characters). An exception for a family's
 * break frees that family's frozen months in the next cycle's plan (`exceptionFamilies`,
 * `src/services/planning.ts`).
 */
export const DISPOSITION_CHOICE: Readonly<Record<BreakDisposition, string>> = {
  exception: 'Grant an exception: the frozen plan may change for it',
  hold: 'Hold the plan: absorb the deviation',
  defer: 'Defer to the next meeting',
};

/** What was decided, as the decision log, the pack and the owner's DM say it. */
export const DISPOSITION_DONE: Readonly<Record<BreakDisposition, string>> = {
  exception: 'exception granted',
  hold: 'plan held',
  defer: 'deferred to the next meeting',
};

/** What each disposition means for the people who act on it next. */
export const DISPOSITION_NEXT: Readonly<Record<BreakDisposition, string>> = {
  exception:
    "the frozen plan may change for it: the next cycle's plan does not hold the family's frozen months to this plan and plans its production there afresh; for a break of no family (a supplier's, a report), an executive changes a frozen month's forecast with `/forecast`, accepted from them as a flagged exception",
  hold: 'the frozen plan stands: the deviation is absorbed within it',
  defer: 'the next executive meeting takes it up again',
};

/**
 * What became of a break, as people read it: what the meeting chose, or `undecided` when the
 * decision chose nothing for it (typed with `/sop decide` without the form, or the break did not
 * fit in the form). An undecided break is recorded as `defer` with `chosen` false: it comes back
 * to the next meeting as a deferred one does, but nobody decided to defer it.
 */
export type BreakOutcome = BreakDisposition | 'undecided';
export const BREAK_OUTCOMES: readonly BreakOutcome[] = [...BREAK_DISPOSITIONS, 'undecided'];

export const breakOutcome = (d: {
  readonly disposition: BreakDisposition;
  readonly chosen: boolean;
}): BreakOutcome => (d.chosen ? d.disposition : 'undecided');

/** What became of a break, as the decision log, the pack and the owner's DM say it. */
export const OUTCOME_DONE: Readonly<Record<BreakOutcome, string>> = {
  ...DISPOSITION_DONE,
  undecided: 'not decided, comes back to the next meeting',
};

/** What each outcome means for the people who act on it next. */
export const OUTCOME_NEXT: Readonly<Record<BreakOutcome, string>> = {
  ...DISPOSITION_NEXT,
  undecided: 'nobody chose what becomes of it, so the next executive meeting takes it up',
};

/** Whether the next meeting takes the break up again (deferred, or not decided). */
export const comesBack = (o: BreakOutcome): boolean => o === 'defer' || o === 'undecided';

export const isBreakDisposition = (s: unknown): s is BreakDisposition =>
  typeof s === 'string' && (BREAK_DISPOSITIONS as readonly string[]).includes(s);

/** The longest note on one break (the form's `max_length`). */
export const MAX_DISPOSITION_NOTE_CHARS = 500;

/**
 * Which meetings deferred a break to this one, and the last note one of them wrote: "deferred
 * by the 2027-01 and 2027-02 meetings: “waiting for the supplier's answer”". `months` are the
 * deferring meetings' cycles, oldest first (none known: "an earlier meeting"); those also in
 * `undecided` recorded no choice for it (typed `/sop decide`) and are named apart: "deferred by
 * the 2027-01 meeting, not decided by the 2027-02 meeting". `text` maps the typed note (a
 * presenter escapes it there). A line break typed in the note becomes a space.
 */
export function deferredBy(
  months: readonly string[],
  note: string | null,
  text: (typed: string) => string = (t) => t,
  undecided: readonly string[] = [],
): string {
  const names = (ms: readonly string[]) =>
    ms.length === 1
      ? `the ${ms[0]} meeting`
      : `the ${ms.slice(0, -1).join(', ')} and ${ms.at(-1)} meetings`;
  const deferred = months.filter((m) => !undecided.includes(m));
  const open = months.filter((m) => undecided.includes(m));
  const parts =
    months.length === 0
      ? ['deferred by an earlier meeting']
      : [
          ...(deferred.length ? [`deferred by ${names(deferred)}`] : []),
          ...(open.length ? [`not decided by ${names(open)}`] : []),
        ];
  const said = note?.replace(/\s+/g, ' ').trim();
  return `${parts.join(', ')}${said ? `: “${text(said)}”` : ''}`;
}
