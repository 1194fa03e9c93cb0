/**
 * Weekly S&OE (docs/meeting.md, "Between meetings"): the week's actuals against the adopted
 * plan. Each deviation beyond the settings' thresholds is recorded once (its key: kind, week,
 * family or supplier), gets a follow-up action with a suggested owner and due date (so it is
 * reminded, listed and closed like any decision's action), and is posted in the supply
 * channel; a check that finds more than ROLLUP_THRESHOLD posts them rolled up (one message,
 * the list in its thread, one DM per owner). One that breaks the frozen zone's assumptions is
 * marked for the next executive meeting (the pack's question 6). A corrected import of a week updates the figures of its
 * open deviations, and resolves those it clears. Operations report what the numbers cannot
 * show (a supplier delay) with `/sop execution`.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { withSessionLock } from '../../db/queries/adjustments.js';
import { audit, auditEntry } from '../../db/queries/audit.js';
import { codeUnits, familyIds, resourceIds } from '../../db/queries/codes.js';
import {
  adoptedCycleFor,
  cancelOpenAction,
  checkedDeviationsOfWeek,
  deviationById,
  deviationsForDigest,
  insertDeviation,
  insertDeviationAction,
  latestCycle,
  linkAction,
  lockDeviation,
  type NewDeviation,
  ownerCandidates,
  planMonth,
  reopenCancelledAction,
  reviseDeviation,
  setDeviationActual,
  weekActuals,
  weeksChangedSince,
  weekTotals,
} from '../../db/queries/execution.js';
import { matchCode } from '../../db/queries/shared.js';
import type { CycleRow, DeviationKind, SettingsRow } from '../../db/schema.js';
import type { JobQueue } from '../../jobs/contracts.js';
import { addDays, addWorkingDays, isDay, localDate } from '../core/calendar.js';
import {
  breaksFrozenPlan,
  changeAsShown,
  detectDeviations,
  mondayOf,
  REPORT_KINDS,
  type ReportKind,
  weekFrozen,
  weekMonth,
  weekParts,
} from '../core/execution.js';
import { fmtQty, fmtQtyIn, formatPercent } from '../core/number-format.js';
import { daysInMonth, type Period } from '../core/period.js';
import { familyCoveringRoles } from '../core/policy.js';
import { readFreeText } from '../core/text.js';
import { MAX_TYPED_UNITS, MAX_TYPED_UNITS_TEXT } from '../core/typed-number.js';
import { SopError, ValidationError } from '../errors.js';
import type { ImportResult } from '../import/import-csv.js';
import {
  ledgerEntries,
  ledgerEntry,
  postedOf,
  postMessageOnce,
  recordSharedMessage,
  sendEach,
} from '../slack/post-ledger.js';
import { actionDm } from '../slack/presenters/actions.js';
import {
  type RollupDeviation,
  type RollupView,
  rollupMessage,
  rollupNeedsThread,
  rollupOwnerDm,
  rollupThread,
} from '../slack/presenters/deviation-rollup.js';
import {
  deviationMessage,
  deviationRevisionMessage,
  digestMessage,
} from '../slack/presenters/execution.js';
import {
  getAction,
  isOverdue,
  notifyOwners,
  requestActionReminders,
  scheduleActionReminders,
} from './actions.js';
import type { CycleDeps } from './cycles.js';
import { nextMeetingEscalations } from './escalations.js';
import { holidaySet } from './holidays.js';
import { deliverJobs, requestJob } from './outbox.js';
import { dmOnce, postOnce } from './reminders.js';
import { fencesOf, getSettings } from './settings.js';
import { refuseIfDeactivated } from './slack-person.js';
import { type NamesOptions, type UserNamesOptions, userNamesFor } from './user-names.js';

export interface ExecutionDeps extends CycleDeps {
  readonly slack: WebClient;
}

export interface RecordedDeviation {
  readonly id: string;
  readonly kind: DeviationKind;
  readonly summary: string;
  readonly owner: string;
  readonly due: string;
  readonly frozenBreak: boolean;
  readonly actionId: string;
}

const num = fmtQty;
/** How far `a` is from `e`, signed, between the figures as printed: 103 vs 100 → "+3.0%". */
const pct = (a: number, e: number) => {
  const change = changeAsShown(a, e);
  return change === null ? 'n/a' : formatPercent(change, 1, true);
};

interface Pending extends NewDeviation {
  readonly owner: string;
  /** The family or supplier code. */
  readonly code: string;
  /** The unit its figures are counted in: its family's or resource's (codeUnits). */
  readonly unit: string;
  /** A sales break of the frozen plan: the planned quantity it was judged on. */
  readonly planned?: number;
}

/** The units of the codes (codeUnits) as a deviation of `kind` on `code` counts its figures. */
type UnitOf = (kind: DeviationKind, code: string) => string;

async function unitsOf(db: Db): Promise<UnitOf> {
  const { families, resources } = await codeUnits(db);
  return (kind, code) =>
    (kind === 'supplier_short'
      ? resources.get(code)
      : kind === 'reported'
        ? (families.get(code) ?? resources.get(code))
        : families.get(code)) ?? 'units';
}

/** Who should own a deviation: the family's sales rep, operations, or a planner. */
async function suggestOwner(
  db: Db,
  kind: DeviationKind,
  family: string | null,
  fallback: string,
): Promise<string> {
  const { reps, members } = await ownerCandidates(db, familyCoveringRoles());
  const byRole = (role: string) => members.find((m) => m.role === role)?.user;
  if (kind === 'sales_above_p90') {
    const rep = reps.find((r) => r.family === family)?.user;
    return rep ?? byRole('planner') ?? byRole('admin') ?? fallback;
  }
  return byRole('ops') ?? byRole('planner') ?? byRole('admin') ?? fallback;
}

/** A deviation recorded with the request to publish it (a `deviation-publish` job, in the outbox). */
export interface ReportedDeviation extends RecordedDeviation {
  /** The job outbox row of its `deviation-publish`, for the caller to hand over (`deliverJobs`). */
  readonly publishRequest: string;
}

type Recorded = RecordedDeviation & {
  readonly code: string;
  readonly unit: string;
  readonly planned: number | null;
  readonly actual: number | null;
  readonly expected: number | null;
};

/**
 * A check that records more new deviations than this posts them rolled up (the
 * `deviation-rollup` job): one message in the supply channel (the list in its thread when it is
 * too long for the message), and one DM per owner, rather than a message and a DM per
 * deviation. So one check is one post in the channel, and each owner hears of it once. A
 * check's single deviation is published on its own (`deviation-publish`), as a report is.
 */
export const ROLLUP_THRESHOLD = 1;

/** What `record` wrote, and the job requests the caller hands over after the commit. */
interface RecordOutcome {
  readonly made: Recorded[];
  readonly requests: string[];
  /** Whether they are published together (one `deviation-rollup`). */
  readonly rolledUp: boolean;
}

/**
 * Record the deviations that are new, in one transaction: each deviation, its action and its
 * audit entry, and the job that publishes them, in the job outbox (so neither Redis being down
 * nor a retry loses a post). With `rollupWeek` (a check's week), more than ROLLUP_THRESHOLD
 * new ones are published together: one `deviation-rollup` job, its audit entry (`deviation.rollup`) listing them as
 * found; otherwise each has its `deviation-publish`. The caller hands the requests over.
 */
async function record(
  deps: CycleDeps,
  pending: readonly Pending[],
  opts: { readonly rollupWeek?: string } = {},
): Promise<RecordOutcome> {
  if (pending.length === 0) return { made: [], requests: [], rolledUp: false };
  const settings = await getSettings(deps.db);
  const cycle = await latestCycle(deps.db);
  if (!cycle) throw new SopError('conflict', 'No cycle yet: start one with `/sop cycle start`.');
  // Working days as the cycle counts them: Monday to Friday, less the company's holidays.
  const due = localDate(
    addWorkingDays(
      deps.clock.now(),
      settings.soe_due_days,
      settings.timezone,
      await holidaySet(deps.db),
    ),
    settings.timezone,
  );
  return deps.db.transaction().execute(async (trx) => {
    const made: Recorded[] = [];
    for (const p of pending) {
      const id = await insertDeviation(trx, p);
      if (id === null) continue;
      const action = await insertDeviationAction(trx, {
        cycleId: cycle.id,
        description: p.summary,
        owner: p.owner,
        dueDate: due,
        createdBy: p.reportedBy ?? 'sopbot',
        requestKey: `deviation:${p.dedupeKey}`,
      });
      await linkAction(trx, id, action.id);
      await audit(trx, {
        actor: p.reportedBy ?? 'sopbot',
        action: 'deviation.record',
        entity: 'deviation',
        entityId: id,
        details: { kind: p.kind, week: p.week, owner: p.owner, due, frozenBreak: p.frozenBreak },
      });
      made.push({
        id,
        kind: p.kind,
        summary: p.summary,
        owner: p.owner,
        due,
        frozenBreak: p.frozenBreak,
        actionId: action.id,
        code: p.code,
        unit: p.unit,
        planned: p.planned ?? null,
        actual: p.actual,
        expected: p.expected,
      });
    }
    const week = opts.rollupWeek;
    if (week !== undefined && made.length > ROLLUP_THRESHOLD) {
      const check = await audit(trx, {
        actor: 'sopbot',
        action: 'deviation.rollup',
        entity: 'week',
        entityId: week,
        details: { week, deviations: made.map(rollupEntry) },
      });
      const request = await requestJob(trx, 'deviation-rollup', { check });
      return { made, requests: [request], rolledUp: true };
    }
    const requests: string[] = [];
    for (const d of made)
      requests.push(await requestJob(trx, 'deviation-publish', { deviationId: d.id }));
    return { made, requests, rolledUp: false };
  });
}

/** A rolled-up deviation as its check's audit entry keeps it (and the roll-up shows it). */
function rollupEntry(d: Recorded): RollupDeviation {
  return {
    id: d.id,
    kind: d.kind,
    code: d.code,
    unit: d.unit,
    planned: d.planned,
    actual: d.actual,
    expected: d.expected,
    owner: d.owner,
    due: d.due,
    actionId: d.actionId,
    frozenBreak: d.frozenBreak,
  };
}

/**
 * Schedule the deviation's reminders, post it in the supply channel and DM its owner; each
 * once (the ledger keys), so a retry or a second call sends nothing twice. Its owner and who
 * reported it are named in the post, not mentioned (the DM tells the owner), read before it: Slack not answering (a 429, a timeout, a 5xx) retries the job
 * rather than post the id for good; on its last attempt (`lastAttempt`), only a 429 does.
 */
export async function publishDeviation(
  deps: ExecutionDeps & { readonly logger?: UserNamesOptions['logger'] },
  deviationId: string,
  opts: Pick<NamesOptions, 'lastAttempt'> = {},
): Promise<void> {
  const d = await deviationById(deps.db, deviationId);
  if (!d?.action) return;
  const action = d.action;
  // Reminder jobs have deterministic ids: enqueuing them again adds nothing.
  await scheduleActionReminders(deps, action);
  const { supply_channel } = await getSettings(deps.db);
  const key = `deviation:${d.id}`;
  // The owner's and the reporter's names, for a post not yet sent (one sent needs nothing
  // from Slack): the post names the owner, whose DM is what tells them.
  const named =
    supply_channel && !(await ledgerEntry(deps.db, key))?.ts
      ? [action.owner, ...(d.reported_by ? [d.reported_by] : [])]
      : [];
  const nameOf = await userNamesFor(deps.db, deps.slack, deps.logger).names(named, {
    retry: true,
    ...opts,
  });
  const message = deviationMessage(
    {
      id: d.id,
      kind: d.kind,
      week: d.week,
      summary: d.summary,
      comment: d.comment,
      owner: action.owner,
      due: action.due_date,
      actionId: action.id,
      frozenBreak: d.frozen_break,
      reportedBy: d.reported_by,
    },
    nameOf,
  );
  // The channel's post, then the owner's DM: Slack refusing one for good (the bot removed from
  // the supply channel, an owner who left) stops neither; once both were tried, an
  // UndeliveredError names each refused (sendEach).
  const steps: { readonly to: string; readonly send: () => Promise<unknown> }[] = [];
  if (supply_channel)
    steps.push({
      to: supply_channel,
      send: () => postOnce(deps.slack, deps.db, key, supply_channel, message),
    });
  steps.push({
    to: '',
    send: () => notifyOwners(deps.slack, deps.db, [action], (a) => actionDm(a, 'assigned')),
  });
  await sendEach(
    steps,
    (st) => st.to,
    (st) => st.send().then(() => undefined),
  );
}

const rollupSchema = z.object({
  week: z.string(),
  deviations: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['sales_above_p90', 'production_below_plan', 'supplier_short', 'reported']),
      code: z.string(),
      // Roll-ups stored before units were kept show none rather than a wrong one.
      unit: z.string().nullable().default(null),
      planned: z.number().nullable().default(null),
      actual: z.number().nullable(),
      expected: z.number().nullable(),
      owner: z.string(),
      due: z.string(),
      actionId: z.string(),
      frozenBreak: z.boolean(),
    }),
  ),
});

/** What a roll-up sent: the thread's replies and the owners' DMs (sent now or before). */
export interface RollupOutcome {
  readonly deviations: number;
  readonly replies: number;
  readonly owners: number;
}

/**
 * Publish the deviations one check recorded together (`deviation-rollup`; the check's audit
 * entry `deviation.rollup` lists them as found; null when there is no such entry): their
 * reminders; one message in the supply channel (ledger `deviation-rollup:<check>`); each
 * deviation's ledger entry `deviation:<id>` pointing at that message, so corrections and
 * resolutions thread under it; the complete list in its thread
 * (`deviation-rollup:<check>:thread:<n>`); and one DM per owner listing their new actions
 * (`deviation-rollup:<check>:owner:<user>`; a deactivated owner's withheld, refuseIfDeactivated). Each once: a retry resumes where the last attempt
 * stopped, and the lines come from the audit entry, so every attempt cuts the thread into the
 * same replies.
 */
export async function publishRollup(
  deps: ExecutionDeps & { readonly logger?: UserNamesOptions['logger'] },
  check: string,
  opts: Pick<NamesOptions, 'lastAttempt'> = {},
): Promise<RollupOutcome | null> {
  const entry = await auditEntry(deps.db, check);
  if (entry?.action !== 'deviation.rollup') return null;
  const view: RollupView = rollupSchema.parse(entry.details);
  const { supply_channel, timezone } = await getSettings(deps.db);
  const key = `deviation-rollup:${check}`;
  // Reminders as for a deviation published on its own, recorded in the job outbox before
  // anything is posted: an attempt that finds the message posted finds them recorded (and
  // their job ids are deterministic, so asking again would add nothing).
  if (!(await ledgerEntry(deps.db, key))?.ts) {
    const now = deps.clock.now();
    const reminders = await deps.db.transaction().execute(async (trx) => {
      const ids: string[] = [];
      for (const d of view.deviations) {
        const action = { id: d.actionId, due_date: d.due };
        ids.push(...(await requestActionReminders(trx, action, now, timezone)));
      }
      return ids;
    });
    await deliverJobs(deps.db, deps.queue, { ids: reminders, limit: reminders.length });
  }
  let replies = 0;
  if (supply_channel) {
    // The owners are named in the channel, not mentioned: each is told once, by their DM
    // below. Their names are read before anything is posted: Slack not answering (a 429, a
    // timeout, a 5xx) retries the job rather than post an id for good; on its last attempt,
    // only a 429 does. The names come from the store once read, so every attempt cuts the
    // thread alike.
    const nameOf = await userNamesFor(deps.db, deps.slack, deps.logger).names(
      [...new Set(view.deviations.map((d) => d.owner))],
      { retry: true, ...opts },
    );
    const main = await postMessageOnce(deps.db, deps.slack, {
      key,
      channel: supply_channel,
      ...rollupMessage(view, nameOf),
    });
    // The channel it was posted in, should the settings have changed since.
    const channel = (await ledgerEntry(deps.db, key))?.channel ?? supply_channel;
    await recordSharedMessage(
      deps.db,
      view.deviations.map((d) => `deviation:${d.id}`),
      { channel, ts: main.ts },
    );
    // The complete list in its thread, when the message could not show it all.
    const thread = rollupNeedsThread(view, nameOf) ? rollupThread(view, nameOf) : [];
    for (const [i, reply] of thread.entries()) {
      await postMessageOnce(deps.db, deps.slack, {
        key: `${key}:thread:${i + 1}`,
        channel,
        threadTs: main.ts,
        ...reply,
      });
      replies++;
    }
  }
  const byOwner = new Map<string, RollupDeviation[]>();
  for (const d of view.deviations) byOwner.set(d.owner, [...(byOwner.get(d.owner) ?? []), d]);
  // An owner Slack refuses for good (who left) does not stop the others' DMs. A deactivated
  // owner's DM is withheld and recorded as such (refuseIfDeactivated), as reminders are. An
  // owner of one of them gets its action's own DM, with its buttons (as a deviation published
  // on its own); of several, one DM listing them (their buttons in App Home and reminders).
  await sendEach(
    [...byOwner],
    ([owner]) => owner,
    async ([owner, deviations]) => {
      const [only] = deviations;
      const action =
        deviations.length === 1 && only ? await getAction(deps.db, only.actionId) : null;
      if (action) {
        await notifyOwners(deps.slack, deps.db, [action], (a) => actionDm(a, 'assigned'));
        return;
      }
      await refuseIfDeactivated(deps.slack, deps.db, `${key}:owner:${owner}`, owner);
      await dmOnce(
        deps.slack,
        deps.db,
        `${key}:owner:${owner}`,
        owner,
        rollupOwnerDm({ week: view.week, deviations }),
      );
    },
  );
  return { deviations: view.deviations.length, replies, owners: byOwner.size };
}

/** What a week's check found. */
export interface WeekCheck {
  /** The new deviations. */
  readonly found: RecordedDeviation[];
  /** Whether they are published rolled up (more than ROLLUP_THRESHOLD). */
  readonly rolledUp: boolean;
  /** Open deviations of the week whose figures a corrected import changed. */
  readonly updated: number;
  /** Open deviations of the week a corrected import no longer puts past their threshold. */
  readonly resolved: number;
  /** Why the week was not checked ("no plan covers 2026-12"), or null. */
  readonly skipped: string | null;
}

/** The plan a week is judged against, and whether the week is in its frozen zone. */
interface WeekPlan {
  /** The week's month: its Thursday's (weekMonth). */
  readonly month: Period;
  /** The cycle whose adopted plan is in force for that month, or null when none is. */
  readonly cycle: CycleRow | null;
  readonly frozen: boolean;
}

/**
 * The plan a week is judged against, by the weekly check and by `/sop execution` alike: the
 * plan in force for its month, that of the latest cycle of that month or before that adopted
 * one (adoptedCycleFor), and whether the week is in that plan's frozen zone (weekFrozen, by
 * zoneOf). A report on a February week made once March's plan is adopted is judged against
 * January's plan, as February's imported figures are.
 */
async function planInForce(db: Db, week: string, settings: SettingsRow): Promise<WeekPlan> {
  const month = weekMonth(week);
  const cycle = await adoptedCycleFor(db, month);
  return {
    month,
    cycle,
    frozen: cycle ? weekFrozen(cycle.month, week, fencesOf(settings)) : false,
  };
}

/**
 * Check one week's imported actuals against the plan in force for its month (the latest
 * cycle of that month or before that adopted one); returns the new deviations, each recorded
 * with its `deviation-publish` job (the job outbox), handed to the queue here. When no
 * adopted plan covers the month, nothing is checked and `skipped` says so.
 */
export async function checkWeek(deps: ExecutionDeps, week: string): Promise<WeekCheck> {
  // Checks of one week run one at a time, each reading the actuals once it holds the lock:
  // every import requests its own check and the posts queue runs two jobs at once, so a
  // check that read the figures before a corrected import could otherwise commit its
  // deviations after the corrected check, leaving one the data no longer supports.
  return withSessionLock(deps.db, `execution-check:${week}`, () => checkWeekLocked(deps, week));
}

async function checkWeekLocked(deps: ExecutionDeps, week: string): Promise<WeekCheck> {
  const settings = await getSettings(deps.db);
  const { month, cycle: adopted, frozen } = await planInForce(deps.db, week, settings);
  const [{ actuals, receipts }, plan] = await Promise.all([
    weekActuals(deps.db, week),
    adopted ? planMonth(deps.db, adopted, month) : Promise.resolve([]),
  ]);
  if (!adopted || plan.length === 0)
    return {
      found: [],
      rolledUp: false,
      updated: 0,
      resolved: 0,
      skipped: `no plan covers ${month}`,
    };
  // Each of the week's days is planned by the plan in force for its month: a week that spans
  // two months takes its share of each (weekParts). Days of a month no plan covers are planned
  // as the Thursday's month (7 / its days).
  const parts = await Promise.all(
    weekParts(week).map(async (part) => {
      if (part.month === month) return { ...part, rows: plan };
      const cycle = await adoptedCycleFor(deps.db, part.month);
      const rows = cycle ? await planMonth(deps.db, cycle, part.month) : [];
      return { ...part, rows: rows.length ? rows : null };
    }),
  );
  const planned = parts.flatMap((p) => (p.rows ? [{ share: p.share, rows: p.rows }] : []));
  const uncovered = parts.reduce((days, p) => days + (p.rows ? 0 : p.days), 0);
  const planOf = new Map(plan.map((p) => [p.family, p]));
  const families = [...new Set(actuals.map((a) => a.family))].flatMap((family) => {
    if (!planOf.has(family)) return [];
    const of = (kind: string) =>
      actuals.find((a) => a.family === family && a.kind === kind)?.units ?? null;
    return [
      {
        family,
        sales: of('sales'),
        production: of('production'),
        plan: planned.map(({ share, rows }) => {
          const p = rows.find((r) => r.family === family);
          const mine = rows === plan ? share + uncovered / daysInMonth(month) : share;
          // A family the other month's plan has not got is planned at nothing there.
          return {
            share: mine,
            consensus: p?.demand ?? 0,
            baseline: p?.baseline ?? null,
            hi80: p?.hi80 ?? null,
            plannedProduction: p?.production ?? 0,
          };
        }),
      },
    ];
  });
  const found = detectDeviations({
    families,
    receipts,
    frozen,
    thresholds: {
      productionShortfallPct: settings.soe_production_shortfall_pct,
      receiptShortfallPct: settings.soe_receipt_shortfall_pct,
      frozenBreakPct: settings.soe_frozen_break_pct,
    },
  });
  const fam = await familyIds(deps.db);
  const res = await resourceIds(deps.db);
  const unitOf = await unitsOf(deps.db);
  const fallback = adopted.opened_by ?? 'sopbot';
  const pending: Pending[] = [];
  for (const d of found) {
    const what = d.family ?? d.supplier ?? '';
    const unit = unitOf(d.kind, what);
    const summary =
      d.kind === 'sales_above_p90'
        ? `${what} sold ${fmtQtyIn(d.actual, unit)} in the week of ${week}, above ${num(d.expected)}, the top of its forecast range (${pct(d.actual, d.expected)})${
            // A break of the frozen plan is judged against the plan, not the range: its
            // figures say so, in the post and in the pack that quotes it.
            d.frozenBreak
              ? `, ${pct(d.actual, d.planned)} against its planned ${num(d.planned)}`
              : ''
          }`
        : d.kind === 'production_below_plan'
          ? `${what} produced ${fmtQtyIn(d.actual, unit)} in the week of ${week}, ${pct(d.actual, d.expected)} against its planned ${num(d.expected)}`
          : `${what} delivered ${num(d.actual)} of ${fmtQtyIn(d.expected, unit)} due in the week of ${week} (${pct(d.actual, d.expected)})`;
    pending.push({
      dedupeKey: `${d.kind}:${week}:${what}`,
      kind: d.kind,
      week,
      familyId: d.family ? (fam.get(d.family) ?? null) : null,
      resourceId: d.supplier ? (res.get(d.supplier) ?? null) : null,
      actual: d.actual,
      expected: d.expected,
      summary,
      comment: null,
      reportedBy: null,
      frozenBreak: d.frozenBreak,
      createdAt: deps.clock.now(),
      owner: await suggestOwner(deps.db, d.kind, d.family, fallback),
      code: what,
      unit,
      ...(d.kind === 'sales_above_p90' && d.frozenBreak ? { planned: d.planned } : {}),
    });
  }
  const current = (kind: DeviationKind, code: string): number | null =>
    kind === 'supplier_short'
      ? (receipts.find((r) => r.supplier === code)?.received ?? null)
      : (actuals.find(
          (a) =>
            a.family === code && a.kind === (kind === 'sales_above_p90' ? 'sales' : 'production'),
        )?.units ?? null);
  const revised = await revise(deps, week, pending, current, unitOf);
  // The publish is a job recorded with the deviations: a retry of this check (after a 429,
  // say) records nothing new, so it could not publish what this attempt missed. Many new
  // deviations are published rolled up (ROLLUP_THRESHOLD).
  const recorded = await record(deps, pending, { rollupWeek: week });
  await deliverJobs(deps.db, deps.queue, { ids: [...revised.requests, ...recorded.requests] });
  return {
    found: recorded.made,
    rolledUp: recorded.rolledUp,
    updated: revised.updated,
    resolved: revised.resolved,
    skipped: null,
  };
}

/**
 * A corrected import of a week the check had flagged: an open deviation whose posted figures
 * changed takes the new ones (its action's words too); one that no longer crosses its
 * threshold is resolved, its action closed as no longer needed. Each change is one
 * transaction with its audit entry and the `deviation-publish` request of its note (the
 * thread of the deviation's post; a resolution is DMed to the owner too), so a retried
 * check finds nothing left to change and sends nothing twice.
 */
async function revise(
  deps: CycleDeps,
  week: string,
  pending: readonly Pending[],
  current: (kind: DeviationKind, code: string) => number | null,
  unitOf: UnitOf,
): Promise<{ updated: number; resolved: number; requests: string[] }> {
  const now = new Map(pending.map((p) => [p.dedupeKey, p]));
  const out = { updated: 0, resolved: 0, requests: [] as string[] };
  for (const e of await checkedDeviationsOfWeek(deps.db, week)) {
    const p = now.get(e.dedupe_key);
    if (e.status === 'cancelled' && p && p.actual !== e.actual) {
      // Resolved by an earlier correction, and past its threshold again with this one.
      const requests = await reopen(deps, week, e.id, p);
      if (requests) {
        out.updated++;
        out.requests.push(...requests);
      }
      continue;
    }
    if (e.status !== 'open') continue;
    if (p && p.summary === e.summary && p.frozenBreak === e.frozen_break) continue;
    // Resolved only on a figure that is there now and within the threshold.
    const code = e.dedupe_key.split(':').slice(2).join(':');
    const unit = unitOf(e.kind, code);
    const value = current(e.kind, code);
    if (!p && value === null) continue;
    // Only a corrected figure revises it: the same actual judged against a plan adopted since
    // (or other thresholds) is not "a corrected import", and the deviation stands as posted.
    if (value !== null && value === e.actual) continue;
    const request = await deps.db.transaction().execute(async (trx) => {
      const d = await lockDeviation(trx, e.id);
      if (d?.status !== 'open') return null;
      if (p) {
        if (p.summary === d.summary && p.frozenBreak === d.frozen_break) return null;
        await reviseDeviation(trx, e.id, {
          actual: p.actual ?? 0,
          expected: p.expected ?? 0,
          summary: p.summary,
          frozenBreak: p.frozenBreak,
          at: deps.clock.now(),
        });
        const note = `Corrected by a new import: ${p.summary}${d.actual === null ? '' : ` (was ${fmtQtyIn(d.actual, unit)})`}.${d.frozen_break && !p.frozenBreak ? ' It no longer breaks the frozen plan.' : ''}${!d.frozen_break && p.frozenBreak ? ' It now breaks the frozen plan: it goes to the next executive meeting.' : ''}`;
        const auditId = await audit(trx, {
          actor: 'sopbot',
          action: 'deviation.update',
          entity: 'deviation',
          entityId: e.id,
          details: { week, before: d.summary, after: p.summary, note, resolved: false },
        });
        out.updated++;
        return requestJob(trx, 'deviation-publish', { deviationId: e.id, revision: auditId });
      }
      if (!(await cancelOpenAction(trx, d.action_id))) return null;
      // Its figure as corrected: a later correction is judged against this one.
      if (value !== null) await setDeviationActual(trx, e.id, value);
      const note = `No longer a deviation: a corrected import has ${code} at ${fmtQtyIn(value ?? 0, unit)} in the week of ${week}${d.actual === null ? '' : ` (was ${fmtQtyIn(d.actual, unit)})`}, within its threshold. Action #${d.action_id} is closed as no longer needed.`;
      const auditId = await audit(trx, {
        actor: 'sopbot',
        action: 'deviation.resolve',
        entity: 'deviation',
        entityId: e.id,
        details: { week, before: d.summary, actual: value, note, resolved: true },
      });
      out.resolved++;
      // The owner's DMs about the action it cancelled lose their buttons (`action-closed`).
      return [
        await requestJob(trx, 'deviation-publish', { deviationId: e.id, revision: auditId }),
        await requestJob(trx, 'action-closed', { actionId: d.action_id, closing: auditId }),
      ];
    });
    if (typeof request === 'string') out.requests.push(request);
    else if (request) out.requests.push(...request);
  }
  return out;
}

/**
 * A deviation a correction had resolved that a later correction puts past its threshold
 * again: its action is open again (with its reminders), its figures the new ones, and the
 * note, in the thread and in the owner's DM, says so; its owner's earlier DMs, which said it
 * was cancelled, offer its buttons again (`action-reopened`, keyed by this change). One
 * transaction; null when another check did it first.
 */
async function reopen(
  deps: CycleDeps,
  week: string,
  id: string,
  p: Pending,
): Promise<string[] | null> {
  const now = deps.clock.now();
  const { timezone } = await getSettings(deps.db);
  return deps.db.transaction().execute(async (trx) => {
    const d = await lockDeviation(trx, id);
    if (!d?.action_id) return null;
    const action = await reopenCancelledAction(trx, d.action_id);
    if (!action) return null;
    await reviseDeviation(trx, id, {
      actual: p.actual ?? 0,
      expected: p.expected ?? 0,
      summary: p.summary,
      frozenBreak: p.frozenBreak,
      at: now,
      reopened: true,
    });
    const note = `Raised again by a corrected import: ${p.summary}${d.actual === null ? '' : ` (was ${fmtQtyIn(d.actual, p.unit)})`}. Action #${action.id} is open again.${p.frozenBreak ? ' It breaks the frozen plan: it goes to the next executive meeting.' : ''}`;
    const auditId = await audit(trx, {
      actor: 'sopbot',
      action: 'deviation.reopen',
      entity: 'deviation',
      entityId: id,
      details: { week, before: d.summary, after: p.summary, note, reopened: true },
    });
    const reminders = await requestActionReminders(trx, action, now, timezone, { reopened: true });
    return [
      ...reminders,
      await requestJob(trx, 'deviation-publish', { deviationId: id, revision: auditId }),
      await requestJob(trx, 'action-reopened', { actionId: action.id, reopening: auditId }),
    ];
  });
}

/**
 * The note of a correction or a resolution (audit entry `revision`): in the thread of the
 * deviation's post in the supply channel (on its own there when that post is not out yet),
 * and a resolution in its owner's DM. Each once (ledger keys of the revision).
 */
export async function publishRevision(
  deps: ExecutionDeps,
  deviationId: string,
  revision: string,
): Promise<void> {
  const [d, entry] = await Promise.all([
    deviationById(deps.db, deviationId),
    auditEntry(deps.db, revision),
  ]);
  if (!d || !entry) return;
  const details = entry.details as { note?: string; resolved?: boolean; reopened?: boolean };
  const msg = deviationRevisionMessage({
    id: d.id,
    week: d.week,
    note: details.note ?? d.summary,
    resolved: details.resolved === true,
  });
  const { supply_channel } = await getSettings(deps.db);
  const post = await ledgerEntry(deps.db, `deviation:${d.id}`);
  const channel = post?.ts ? post.channel : supply_channel;
  if (channel)
    await postOnce(
      deps.slack,
      deps.db,
      `deviation:${d.id}:revision:${revision}`,
      channel,
      msg,
      post?.ts && post.channel === channel ? post.ts : undefined,
    );
  if ((details.resolved || details.reopened) && d.action)
    await dmOnce(
      deps.slack,
      deps.db,
      `action:${d.action.id}:resolved:${revision}`,
      d.action.owner,
      msg,
    );
}

export interface ExecutionReport {
  readonly kind: ReportKind;
  /** A family or resource code. */
  readonly code: string;
  /** Any day of the week concerned (YYYY-MM-DD). */
  readonly day: string;
  readonly expected: number | null;
  readonly actual: number | null;
  readonly comment: string;
  readonly reportedBy: string;
  readonly requestKey: string;
}

/**
 * A deviation operations report (`/sop execution`), owned by the reporter. Recorded with its
 * `deviation-publish` request in the job outbox, in one transaction: the caller hands the
 * request to the queue (`deliverJobs`) once it has answered Slack, and if the queue is down
 * the outbox relay delivers it when it is back. A report already recorded (the same request
 * key) returns null.
 */
export async function reportDeviation(
  deps: CycleDeps,
  typed: ExecutionReport,
): Promise<ReportedDeviation | null> {
  const comment = readFreeText('The comment', typed.comment);
  if (!comment.ok) throw new ValidationError(comment.message);
  const r = { ...typed, comment: comment.text };
  if (!isDay(r.day))
    throw new ValidationError(`day: '${r.day}' is not a date; give a day as YYYY-MM-DD.`);
  for (const field of ['expected', 'actual'] as const) {
    const v = r[field];
    if (v !== null && !(Number.isFinite(v) && v >= 0 && v <= MAX_TYPED_UNITS))
      throw new ValidationError(
        `${field}: ${v} is not a number of units from 0 to ${MAX_TYPED_UNITS_TEXT}; check the value.`,
      );
  }
  const settings = await getSettings(deps.db);
  const fam = await familyIds(deps.db);
  const res = await resourceIds(deps.db);
  // Typed codes are read as /forecast reads them: without regard to case.
  const family = matchCode(fam, r.code);
  const resource = matchCode(res, r.code);
  if (!family && !resource)
    throw new ValidationError(`code: '${r.code}' is neither a family nor a resource code.`);
  const code = (family ?? resource)?.code ?? r.code;
  const unit = (await unitsOf(deps.db))('reported', code);
  const familyId = family?.value ?? null;
  const resourceId = resource?.value ?? null;
  const week = mondayOf(r.day);
  // Judged as the week's imported figures are: against the plan in force for its month, a
  // miss either way by more than the threshold as printed.
  const { frozen } = await planInForce(deps.db, week, settings);
  const frozenBreak =
    frozen &&
    r.expected !== null &&
    r.actual !== null &&
    breaksFrozenPlan(r.actual, r.expected, settings.soe_frozen_break_pct);
  const impact =
    r.expected !== null && r.actual !== null
      ? `: ${num(r.actual)} of ${fmtQtyIn(r.expected, unit)} expected (${pct(r.actual, r.expected)})`
      : '';
  const { made, requests } = await record(deps, [
    {
      dedupeKey: `reported:${r.requestKey}`,
      kind: 'reported',
      week,
      familyId,
      resourceId,
      actual: r.actual,
      expected: r.expected,
      summary: `${REPORT_KINDS[r.kind]} on ${code} in the week of ${week}${impact}`,
      comment: r.comment || null,
      reportedBy: r.reportedBy,
      frozenBreak,
      createdAt: deps.clock.now(),
      owner: r.reportedBy,
      code,
      unit,
    },
  ]);
  const [d] = made;
  const [publishRequest] = requests;
  return d && publishRequest ? { ...d, publishRequest } : null;
}

/** The week before the one holding `now`, in the company's zone: what a Monday digest covers. */
export function lastWeek(now: Date, zone: string): string {
  return addDays(mondayOf(localDate(now, zone)), -7);
}

/** The most weeks before last week a late digest covers (older ones: it says since when). */
export const MAX_MISSED_DIGEST_WEEKS = 4;

/**
 * The weeks before `week` that no digest was posted for since the latest one that was (a
 * worker down across their Mondays, or the digest unable to post), oldest first, at most
 * `MAX_MISSED_DIGEST_WEEKS`; with that latest digest's week when it is older than those
 * (`since`). None when no digest was ever posted (nothing to say was missed).
 */
export async function missedDigestWeeks(
  db: Db,
  week: string,
): Promise<{ readonly weeks: readonly string[]; readonly since: string | null }> {
  const posted = (await ledgerEntries(db, 'digest:'))
    .filter((r) => r.ts !== null)
    .map((r) => r.postKey.slice('digest:'.length))
    .filter((w) => isDay(w) && w < week);
  const latest = posted.sort().at(-1);
  if (!latest) return { weeks: [], since: null };
  const weeks: string[] = [];
  for (let w = addDays(latest, 7); w < week; w = addDays(w, 7)) weeks.push(w);
  const kept = weeks.slice(-MAX_MISSED_DIGEST_WEEKS);
  return { weeks: kept, since: kept.length < weeks.length ? latest : null };
}

/**
 * The Monday digest in the supply channel, once per week (by default last week's): its totals,
 * its deviations and every open one, and how many frozen-zone breaks the next executive
 * meeting takes up (the pack's own definition, nextMeetingEscalations). The scheduled one
 * (no `forWeek`) also covers the weeks no digest went out for since the last one
 * (`missedDigestWeeks`: a worker down across their Mondays ran one digest when back): it
 * names them, gives each one's totals, and lists the deviations from the oldest of them on.
 * A summary: a deviation whose own post went out (`deviation:<id>`, its own or its check's
 * roll-up) is listed by kind and code, its figures left to that post, and its owner (told by
 * DM) named, not pinged again; one whose post did not is given whole, its owner mentioned.
 */
export async function postDigest(
  deps: ExecutionDeps & { readonly logger?: UserNamesOptions['logger'] },
  forWeek?: string,
  opts: Pick<NamesOptions, 'lastAttempt'> = {},
): Promise<string | null> {
  const settings = await getSettings(deps.db);
  if (!settings.supply_channel) return null;
  const week = forWeek ?? lastWeek(deps.clock.now(), settings.timezone);
  const today = localDate(deps.clock.now(), settings.timezone);
  const missed = forWeek ? { weeks: [], since: null } : await missedDigestWeeks(deps.db, week);
  const from = missed.weeks[0] ?? week;
  const totalsOf = async (w: string) => {
    const t = await weekTotals(deps.db, w);
    return {
      week: w,
      sales: t.find((x) => x.kind === 'sales')?.units ?? null,
      production: t.find((x) => x.kind === 'production')?.units ?? null,
    };
  };
  const [totals, earlier, deviations, escalations] = await Promise.all([
    totalsOf(week),
    Promise.all(missed.weeks.map(totalsOf)),
    deviationsForDigest(deps.db, from),
    nextMeetingEscalations(deps.db),
  ]);
  const posted = await postedOf(
    deps.db,
    deviations.map((d) => `deviation:${d.id}`),
  );
  const announced = (d: (typeof deviations)[number]) => posted.has(`deviation:${d.id}`);
  // Read before the digest is posted: Slack not answering one (a 429, a timeout) retries the
  // job, rather than post the owner's id for good; on its last attempt, only a 429 does.
  const names = await userNamesFor(deps.db, deps.slack, deps.logger).names(
    deviations.flatMap((d) => (d.owner && announced(d) ? [d.owner] : [])),
    { retry: true, ...opts },
  );
  return postOnce(
    deps.slack,
    deps.db,
    `digest:${week}`,
    settings.supply_channel,
    digestMessage(
      {
        week,
        sales: totals.sales,
        production: totals.production,
        ...(earlier.length > 0 ? { missed: { weeks: earlier, since: missed.since } } : {}),
        deviations: deviations.map((d) => ({
          summary: d.summary,
          kind: d.kind,
          code: d.code,
          week: d.week,
          owner: d.owner,
          due: d.due_date,
          status: isOverdue(d, today) ? 'overdue' : (d.status ?? 'open'),
          frozenBreak: d.frozen_break,
          actionId: d.action_id,
          announced: announced(d),
        })),
        nextMeeting: {
          breaks: escalations.length,
          done: escalations.filter((e) => e.status === 'done').length,
        },
      },
      names,
    ),
  );
}

const WEEKLY_KINDS: ReadonlySet<string> = new Set([
  'weekly-sales',
  'weekly-production',
  'receipts',
]);

/** The weekly imports that changed a row. */
export function weeklyImports(results: readonly ImportResult[]): readonly ImportResult[] {
  return results.filter((r) => WEEKLY_KINDS.has(r.kind) && r.inserted + r.updated > 0);
}

/**
 * After an import of weekly actuals: records one `execution-check` per week it changed (rows
 * whose updated_at is not before `since`) in `trx`'s job outbox, so none is lost when Redis is
 * down. Returns the weeks and the outbox rows' ids, for the caller to hand over after the
 * commit (the relay of any running bot or worker does if that fails).
 */
export async function recordExecutionChecks(
  trx: Db,
  results: readonly ImportResult[],
  since: Date,
): Promise<{ weeks: string[]; ids: string[] }> {
  const changed = weeklyImports(results);
  if (changed.length === 0) return { weeks: [], ids: [] };
  const weeks = await weeksChangedSince(trx, since);
  const requestKey = `import:${changed.map((r) => r.auditId).join(',')}`;
  const ids: string[] = [];
  for (const week of weeks)
    ids.push(await requestJob(trx, 'execution-check', { week, requestKey }));
  return { weeks, ids };
}

/** The same, recorded and handed to `queue` at once. Returns the weeks. */
export async function requestExecutionChecks(
  db: Db,
  queue: JobQueue,
  results: readonly ImportResult[],
  since: Date,
): Promise<string[]> {
  const owed = await db.transaction().execute((trx) => recordExecutionChecks(trx, results, since));
  await deliverJobs(db, queue, { ids: owed.ids });
  return owed.weeks;
}
