/**
 * Open capacity constraints, and closing one: resolved (it happened and no longer limits the
 * capacity) or withdrawn (entered by mistake, or cancelled). A constraint is the months of one
 * capacity update that cut a resource's capacity (one request, one resource); while open it
 * holds for every plan that covers its months (`appliesToCycle`). Closing one changes its
 * status once, audits it and requests the open cycle's recompute, all in one transaction.
 */

import { lockKey } from '../../db/queries/adjustments.js';
import { audit } from '../../db/queries/audit.js';
import {
  type ConstraintMonthRow,
  closeConstraintMonths,
  constraintMonthsOf,
  openConstraintMonths,
} from '../../db/queries/capacity.js';
import { resourceIds } from '../../db/queries/codes.js';
import { latestCycleWhere, openCycle } from '../../db/queries/cycles.js';
import { matchCode } from '../../db/queries/shared.js';
import type { AdjustmentKind } from '../core/consensus.js';
import { type Period, periodSpan } from '../core/period.js';
import { codeSpan, namedCodes, readFreeText } from '../core/text.js';
import type { AppDeps } from '../deps.js';
import { SopError, ValidationError } from '../errors.js';
import { rowIdText } from '../row-id.js';
import { NO_RESOURCES } from './company-data.js';
import { type Member, requirePermission } from './members.js';
import { requestJob } from './outbox.js';

/** How a constraint is closed. */
export type ConstraintClose = 'resolved' | 'withdrawn';

/** One constraint as people see it: a resource, its months, the change and who entered it. */
export interface ConstraintEntry {
  /** The id of its first month's capacity update: the number it is named by (#41). */
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly months: readonly Period[];
  readonly kind: AdjustmentKind;
  readonly value: number;
  readonly reason: string;
  readonly comment: string | null;
  readonly author: string;
  /** The month of the cycle it was entered in; null for one tied to no cycle. */
  readonly enteredIn: string | null;
}

export interface ConstraintList {
  /** The cycle whose plans the list is about (the open one, else the latest); null: none yet. */
  readonly cycleMonth: string | null;
  readonly cycleOpen: boolean;
  /** The resource the list is of (its code as the company writes it); absent or null: all. */
  readonly resource?: string | null;
  readonly entries: readonly ConstraintEntry[];
}

/** The longest note kept with a resolve or withdraw. */
export const CLOSE_NOTE_CHARS = 500;

type MonthRow = Pick<
  ConstraintMonthRow,
  | 'id'
  | 'request_key'
  | 'resource_id'
  | 'code'
  | 'name'
  | 'period'
  | 'kind'
  | 'value'
  | 'reason_code'
  | 'comment'
  | 'author'
  | 'entered_in'
>;

/** The rows of one constraint: its first row as they came, and its months in order. */
export interface ConstraintGroup<R> {
  readonly first: R;
  readonly ids: readonly string[];
  readonly months: readonly Period[];
}

/**
 * Months of one request and resource make one constraint: the rows grouped so, in the order
 * their first rows come. Every list of constraints (`/sop constraints`, the pack, the review's
 * "what changed") counts and names them through this one rule.
 */
export function constraintGroups<
  R extends {
    readonly id: string;
    readonly resource_id: number;
    readonly request_key: string;
    readonly period: Period;
  },
>(rows: readonly R[]): ConstraintGroup<R>[] {
  const byKey = new Map<string, { first: R; ids: string[]; months: Period[] }>();
  for (const r of rows) {
    const key = `${r.resource_id}\u0000${r.request_key}`;
    const g = byKey.get(key);
    if (g) {
      g.ids.push(r.id);
      g.months.push(r.period);
    } else byKey.set(key, { first: r, ids: [r.id], months: [r.period] });
  }
  return [...byKey.values()].map((g) => ({ ...g, months: [...g.months].sort() }));
}

const compare = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);

/** One open constraint as a nudge names it, and who entered it. */
export interface ConstraintLabel {
  /** "LINE-2 2027-03–2027-04 (maintenance)". */
  readonly label: string;
  /** Who entered it: a Slack user id, or an import's author. */
  readonly author: string;
}

/**
 * The cycle's open constraints (`appliesToCycle`: its own, earlier cycles' still open and
 * standing ones, for its months), one per constraint as `constraintGroups` counts them, as
 * `CODE months (reason)`: "LINE-2 2027-03–2027-04 (maintenance)", one constraint, as the
 * status counts it and the pack names it; each with who entered it.
 */
export async function openConstraintsLabelled(
  db: AppDeps['db'],
  cycleId: number,
): Promise<ConstraintLabel[]> {
  const rows = await openConstraintMonths(db, cycleId);
  // By resource in code order (as the rows come), then by month.
  const codeAt = new Map<string, number>();
  for (const r of rows) if (!codeAt.has(r.code)) codeAt.set(r.code, codeAt.size);
  const at = (r: { code: string }) => codeAt.get(r.code) ?? 0;
  return constraintGroups(rows)
    .sort((a, b) => at(a.first) - at(b.first) || compare(a.months[0], b.months[0]))
    .map(({ first, months }) => ({
      label: `${first.code} ${periodSpan(months)} (${first.reason_code})`,
      author: first.author,
    }));
}

/** `openConstraintsLabelled`'s labels alone. */
export async function openConstraintLabels(db: AppDeps['db'], cycleId: number): Promise<string[]> {
  return (await openConstraintsLabelled(db, cycleId)).map((c) => c.label);
}

/** Months of one request and resource make one constraint, in the order the rows come. */
export function groupConstraints(rows: readonly MonthRow[]): ConstraintEntry[] {
  return constraintGroups(rows).map(({ first, ids, months }) => ({
    id: ids.reduce((a, b) => (BigInt(b) < BigInt(a) ? b : a)),
    code: first.code,
    name: first.name,
    months,
    kind: first.kind,
    value: first.value,
    reason: first.reason_code,
    comment: first.comment,
    author: first.author,
    enteredIn: first.entered_in,
  }));
}

/** Whether `typed` is a resource's code, in any case (`/sop constraints RESOLVE` lists its). */
export async function isResourceCode(db: AppDeps['db'], typed: string): Promise<boolean> {
  return matchCode(await resourceIds(db), typed) !== null;
}

/**
 * The resource `typed` names, in any case (`matchCode`, as `/capacity` reads it); refused
 * naming the resources there are when none has that code.
 */
async function resourceNamed(
  db: AppDeps['db'],
  typed: string,
): Promise<{ readonly code: string; readonly id: number }> {
  const codes = await resourceIds(db);
  const hit = matchCode(codes, typed);
  if (hit) return { code: hit.code, id: hit.value };
  const what = `There is no resource ${codeSpan(typed)}`;
  throw new SopError(
    'not_found',
    codes.size === 0
      ? `${what}. ${NO_RESOURCES}`
      : `${what}. Name one of ${namedCodes(codes.keys())}, or type \`/sop constraints\` for every resource's.`,
  );
}

/**
 * The open constraints the plans see: those of the open cycle (`appliesToCycle`: entered in
 * it or earlier, for its months), the ones the status and the nudges count; with no cycle
 * open, those of the latest cycle; with no cycle yet, every open one. With `resource` (a code
 * as typed), only that resource's.
 */
export async function listConstraints(
  db: AppDeps['db'],
  resource: string | null = null,
): Promise<ConstraintList> {
  const only = resource === null ? null : await resourceNamed(db, resource);
  const open = await openCycle(db);
  const cycle = open ?? (await latestCycleWhere(db));
  const rows = await openConstraintMonths(db, cycle?.id ?? null, only?.id ?? null);
  return {
    cycleMonth: cycle?.month ?? null,
    cycleOpen: open !== null,
    resource: only?.code ?? null,
    entries: groupConstraints(rows),
  };
}

export interface ConstraintClosed {
  readonly entry: ConstraintEntry;
  /** What it is now. */
  readonly status: ConstraintClose;
  /** False when it had been closed already (a double click, a retry, a second person). */
  readonly changed: boolean;
  /** Who closed it and when (null only for one closed outside sopbot, with no name kept). */
  readonly by: string | null;
  readonly at: Date | null;
  /** The open cycle whose plan is recomputed; null when none is open (or nothing changed). */
  readonly recomputed: { readonly id: number; readonly month: string } | null;
  /** The job requests (outbox ids) recorded with the change: its recompute. */
  readonly jobRequests: readonly string[];
}

/**
 * The note as it is kept: control characters other than line feed and tab removed
 * (`stripControl`); refused over CLOSE_NOTE_CHARS; an empty one is none.
 */
export function checkCloseNote(note: string | null): string | null {
  const r = readFreeText('The note', note ?? '', CLOSE_NOTE_CHARS);
  if (!r.ok) throw new ValidationError(r.message, ['note']);
  return r.text === '' ? null : r.text;
}

/**
 * Resolves or withdraws constraint `id` (any of its months' update ids) for `member`: in one
 * transaction its open months change status (with who and when), the change is audited and the
 * open cycle's recompute is recorded in the job outbox (debounced, as a capacity update's).
 * Once only: when its months were closed already nothing changes and the answer says who
 * closed it and when. The caller hands the recompute to the queue after the commit.
 */
export async function closeConstraint(
  deps: AppDeps,
  member: Member,
  typedId: string,
  to: ConstraintClose,
  note: string | null = null,
): Promise<ConstraintClosed> {
  const id = rowIdText(typedId, 'The constraint');
  requirePermission(
    member,
    'capacity.update',
    to === 'resolved' ? 'resolve a capacity constraint' : 'withdraw a capacity constraint',
  );
  const why = checkCloseNote(note);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const first = await constraintMonthsOf(trx, id);
    const resourceId = first[0]?.resource_id;
    if (resourceId === undefined)
      throw new SopError(
        'not_found',
        `There is no capacity constraint #${id.slice(0, 20)}. \`/sop constraints\` lists the open ones with their numbers.`,
      );
    // As a capacity update does: one change to a resource's capacity at a time.
    await lockKey(trx, `capacity:${resourceId}`);
    const months = await constraintMonthsOf(trx, id);
    const closed = await closeConstraintMonths(
      trx,
      months.map((m) => m.id),
      to,
      member.userId,
      now,
    );
    const entryOf = (rows: typeof months) => {
      const [entry] = groupConstraints(rows);
      if (!entry) throw new Error(`constraint ${id} has no months`);
      return entry;
    };
    if (closed.length === 0) {
      const done = months.find((m) => m.status !== 'open') ?? months[0];
      return {
        entry: entryOf(months),
        status: done?.status === 'withdrawn' ? 'withdrawn' : 'resolved',
        changed: false,
        by: done?.resolved_by ?? null,
        at: done?.resolved_at ?? null,
        recomputed: null,
        jobRequests: [],
      };
    }
    const closedIds = new Set(closed.map((r) => r.id));
    const entry = entryOf(months.filter((m) => closedIds.has(m.id)));
    const cycle = await openCycle(trx);
    await audit(trx, {
      actor: member.userId,
      action: to === 'resolved' ? 'capacity.resolve' : 'capacity.withdraw',
      entity: 'resource',
      entityId: entry.code,
      details: {
        constraint: id,
        ids: closed.map((r) => r.id),
        periods: entry.months,
        note: why,
        at: now.toISOString(),
        cycleId: cycle?.id ?? null,
      },
    });
    // The plan goes back to the capacity without it: recorded with the change, so it is not
    // lost if Redis is down; a burst of changes makes one recompute. A closed cycle is never
    // recomputed, so only the open one is asked for.
    const jobRequests = cycle
      ? [
          await requestJob(
            trx,
            'recompute',
            { cycleId: cycle.id, reason: 'submission', requestedBy: member.userId },
            { debounceMs: deps.config.SOPBOT_RECOMPUTE_DEBOUNCE_MS },
          ),
        ]
      : [];
    return {
      entry,
      status: to,
      changed: true,
      by: member.userId,
      at: now,
      recomputed: cycle ? { id: cycle.id, month: cycle.month } : null,
      jobRequests,
    };
  });
}
