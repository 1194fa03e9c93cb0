/**
 * Forecast adjustments: who may adjust, when, which months, and the before/after consensus of
 * each month. All rows of one request are written in one transaction under its request key,
 * so a retried or double-submitted request stores nothing new and answers the same way.
 */

import type { Db } from '../../db/connect.js';
import {
  adjustmentsByRequest,
  adjustmentsOf,
  baselineOf,
  declareNoChange,
  type FamilyRef,
  familyByCode,
  insertAdjustments,
  lockKey,
} from '../../db/queries/adjustments.js';
import { audit, phaseLeftAt } from '../../db/queries/audit.js';
import type { AdjustmentRow, CycleRow, SettingsRow } from '../../db/schema.js';
import { localDate } from '../core/calendar.js';
import type { Role } from '../core/company.js';
import { type AdjustmentKind, computeConsensus } from '../core/consensus.js';
import { isPeriod, nextPeriods, type Period, periodIndex, periodRange } from '../core/period.js';
import { can } from '../core/policy.js';
import { codeSpan, controlCharacterMessage, readFreeText } from '../core/text.js';
import { checkFence } from '../core/time-fences.js';
import { MAX_TYPED_PCT, MAX_TYPED_UNITS, MAX_TYPED_UNITS_TEXT } from '../core/typed-number.js';
import type { AppDeps } from '../deps.js';
import { SopError, ValidationError } from '../errors.js';
import { dashedCode, spacedCodeRefusal } from '../import/advice.js';
import type { ConstraintEntry } from './constraints.js';
import { adjustmentsOpen, getOpenCycle, PHASE_LABEL } from './cycles.js';
import { type Member, membersWhoMay, ROLE_LABEL, requirePermission } from './members.js';
import { requestJob } from './outbox.js';
import { fencesOf, getSettings } from './settings.js';

export const FORECAST_REASONS = [
  'promotion',
  'new_customer',
  'lost_customer',
  'price_change',
  'market_intelligence',
  'launch',
  'end_of_life',
  'other',
] as const;

/** "new_customer" → "new customer". */
export const reasonLabel = (code: string): string => code.replace(/_/g, ' ');

/** A change as people express it, for a forecast family or a capacity resource. */
export interface ChangeInput {
  /** Family or resource code. */
  readonly target: string;
  readonly from: Period;
  readonly to: Period;
  readonly kind: AdjustmentKind;
  readonly value: number;
  readonly reason: string;
  readonly comment: string | null;
}

export type ChangeField = 'target' | 'from' | 'to' | 'kind' | 'value' | 'reason' | 'comment';

/** A problem with one field: the modal shows it on that field, the text form names it. */
export class FieldError extends ValidationError {
  readonly field: ChangeField;
  constructor(field: ChangeField, message: string) {
    super(message, [field]);
    this.field = field;
  }
}

export interface ChangeLine {
  readonly period: Period;
  readonly zone: 'frozen' | 'slushy' | 'liquid';
  readonly flagged: boolean;
  readonly before: number;
  readonly after: number;
  /** Why it was flagged (slushy zone, executive exception), or null. */
  readonly note: string | null;
}

export interface ChangeOutcome {
  readonly cycle: { readonly id: number; readonly month: Period };
  readonly target: { readonly code: string; readonly name: string };
  readonly author: string;
  readonly input: ChangeInput;
  readonly lines: readonly ChangeLine[];
  /** True when this request had already been stored (a retry or a double submit). */
  readonly replay: boolean;
  /** The job requests (outbox ids) recorded with the change: its recompute. */
  readonly jobRequests?: readonly string[];
  /**
   * A capacity update: the open constraints already in force in some of its months, which it
   * counts with (a change adds to theirs, a set replaces it while both are open).
   */
  readonly alsoOpen?: readonly ConstraintEntry[];
}

export interface RequestMeta {
  readonly requestKey: string;
  readonly source: 'modal' | 'command' | 'cli' | 'api';
  readonly teamId?: string | null;
  readonly channelId?: string | null;
}

/** The months of the open cycle's horizon. */
export function horizonOf(
  cycle: Pick<CycleRow, 'month'>,
  settings: Pick<SettingsRow, 'horizon_months'>,
): Period[] {
  return nextPeriods(cycle.month, settings.horizon_months);
}

/** The open cycle, refused unless adjustments are still accepted in its phase. */
/**
 * The open cycle a change is recorded in. Forecast adjustments close when the demand review
 * ends; capacity updates and constraints (`anyPhase`) are taken until the cycle closes,
 * since the supply review is exactly when operations make them.
 */
/**
 * When the cycle left the demand review: the audit log's phase change out of it, or (for a
 * cycle moved on by hand in the database) when it entered its present phase.
 */
async function demandReviewEndedAt(db: AppDeps['db'], cycle: CycleRow): Promise<Date> {
  if (cycle.phase === 'supply_review') return cycle.phase_entered_at;
  return (await phaseLeftAt(db, cycle.id, 'demand_review')) ?? cycle.phase_entered_at;
}

export async function openCycleForChanges(
  deps: AppDeps,
  what: string,
  opts: { readonly anyPhase?: boolean } = {},
): Promise<CycleRow> {
  const cycle = await getOpenCycle(deps.db);
  if (!cycle)
    throw new SopError(
      'phase_closed',
      `No S&OP cycle is open, so there is nowhere to record ${what}. A planner opens one with \`/sop cycle start\`.`,
    );
  if (!opts.anyPhase && !adjustmentsOpen(cycle.phase)) {
    // When the review really ended: the phase change into supply review, not the deadline
    // (a planner may move on early, or late).
    // The day it ended is the company's date (settings time zone), like every date the bot shows.
    const [ended, settings] = await Promise.all([
      demandReviewEndedAt(deps.db, cycle),
      getSettings(deps.db),
    ]);
    throw new SopError(
      'phase_closed',
      `Adjustments closed when the demand review ended on ${localDate(ended, settings.timezone)}; the ${cycle.month} cycle is now in ${PHASE_LABEL[cycle.phase]}. Ask a planner if this change must still count.`,
    );
  }
  return cycle;
}

/** Checks the parts of a change that need no database: months, value, reason, comment. */
/** Largest change accepted in % (a bigger one is a typo); in units it is MAX_TYPED_UNITS. */
export const MAX_CHANGE_PCT = MAX_TYPED_PCT;

/**
 * The change as it is stored: its comment free text (`stripControl`: control characters other
 * than line feed and tab removed, trimmed; empty is none). The length is checked with the rest
 * (`checkChangeText`).
 */
export function cleanChangeInput(input: ChangeInput): ChangeInput {
  if (input.comment == null) return input;
  const text = readFreeText('The comment', input.comment, Number.POSITIVE_INFINITY);
  return { ...input, comment: text.ok && text.text !== '' ? text.text : null };
}

/**
 * The typed text and the size of the value, checked before anything reads the database:
 * control characters in a code or a reason are refused with the field's name (Postgres
 * refuses NUL), the comment is at most MAX_COMMENT_CHARS, and the value is bounded.
 */
export function checkChangeText(input: ChangeInput): void {
  const fields = [
    ['target', 'The code'],
    ['reason', 'The reason'],
  ] as const;
  for (const [field, label] of fields) {
    const why = controlCharacterMessage(label, input[field] ?? '');
    if (why) throw new FieldError(field, why);
  }
  const comment = readFreeText('The comment', input.comment ?? '');
  if (!comment.ok) throw new FieldError('comment', comment.message);
  if (!Number.isFinite(input.value)) throw new FieldError('value', 'Enter a number.');
  if (input.kind === 'delta_pct' && Math.abs(input.value) > MAX_CHANGE_PCT)
    throw new FieldError(
      'value',
      `A change of ${input.value > 0 ? '+' : ''}${input.value}% is not accepted: at most ±${MAX_CHANGE_PCT}%. Check the value.`,
    );
  if (input.kind !== 'delta_pct' && Math.abs(input.value) > MAX_TYPED_UNITS)
    throw new FieldError(
      'value',
      `${input.value} units is not accepted: at most ${MAX_TYPED_UNITS_TEXT} units. Check the value.`,
    );
}

/**
 * Why a change of 0 is refused, and what to do instead: a sales rep with nothing to change
 * declares no change (there is no such declaration for a capacity).
 */
const ZERO_CHANGE: Readonly<Record<ChangeKind['subject'], string>> = {
  forecast:
    'A change of 0 changes nothing: give the change you mean. A sales rep with nothing to change declares no change for their families instead, with `/forecast no-change`.',
  capacity:
    'A change of 0 changes nothing: give the change you mean. A capacity that stays as it is needs no update.',
};

export function checkChange(
  input: ChangeInput,
  horizon: readonly Period[],
  reasons: readonly string[],
  subject: ChangeKind['subject'],
): Period[] {
  checkChangeText(input);
  for (const f of ['from', 'to'] as const) {
    if (!isPeriod(input[f]))
      throw new FieldError(
        f,
        `${codeSpan(input[f])} is not a month; write it as YYYY-MM, e.g. 2027-03.`,
      );
  }
  const first = horizon[0] ?? '';
  const last = horizon.at(-1) ?? '';
  if (periodIndex(input.to) < periodIndex(input.from))
    throw new FieldError('to', `The range ends (${input.to}) before it starts (${input.from}).`);
  for (const f of ['from', 'to'] as const) {
    if (!horizon.includes(input[f]))
      throw new FieldError(f, `${input[f]} is outside the horizon (${first} to ${last}).`);
  }
  if (!Number.isFinite(input.value)) throw new FieldError('value', 'Enter a number.');
  if (input.kind === 'set' && input.value < 0)
    throw new FieldError('value', 'A quantity cannot be negative.');
  if (input.kind === 'delta_pct' && input.value < -100)
    throw new FieldError('value', 'A decrease cannot be more than -100%.');
  if (input.kind !== 'set' && input.value === 0)
    throw new FieldError('value', ZERO_CHANGE[subject]);
  if (!reasons.includes(input.reason))
    throw new FieldError(
      'reason',
      `${codeSpan(input.reason)} is not a reason; use one of ${reasons.map(reasonLabel).join(', ')}.`,
    );
  if (input.reason === 'other' && !input.comment?.trim())
    throw new FieldError('comment', 'Say what the "other" reason is in a comment.');
  return periodRange(input.from, input.to);
}

/** Size of a change in % of what it changes; Infinity from zero. */
export function changePct(before: number, after: number): number {
  if (before === after) return 0;
  return before === 0 ? Number.POSITIVE_INFINITY : (Math.abs(after - before) / before) * 100;
}

export function requireCommentOverThreshold(
  lines: readonly { before: number; after: number }[],
  comment: string | null,
  thresholdPct: number,
): void {
  if (comment?.trim()) return;
  const big = Math.max(0, ...lines.map((l) => changePct(l.before, l.after)));
  if (big > thresholdPct)
    throw new FieldError(
      'comment',
      `A change of more than ${thresholdPct}% needs a comment saying why (this one is ${Number.isFinite(big) ? `${Math.round(big)}%` : 'from zero'}).`,
    );
}

/** What both change tables keep of a stored row: enough to show the change again. */
type StoredChangeRow = Pick<AdjustmentRow, 'author' | 'period' | 'before_value' | 'after_value'>;

/**
 * The outcome of a request that was already stored (a retry or a double submit), rebuilt
 * from its rows: one place for adjustments and capacity updates alike. `state` gives a row's
 * zone and flag, which only forecast adjustments store.
 */
export function replayedChange<R extends StoredChangeRow>(
  rows: readonly R[],
  cycle: CycleRow,
  target: { readonly code: string; readonly name: string },
  input: ChangeInput,
  state: (row: R) => Pick<ChangeLine, 'zone' | 'flagged'>,
): ChangeOutcome {
  return {
    cycle: { id: cycle.id, month: cycle.month },
    target: { code: target.code, name: target.name },
    author: rows[0]?.author ?? '',
    input,
    lines: rows.map((r) => ({
      period: r.period,
      ...state(r),
      before: r.before_value ?? 0,
      after: r.after_value ?? 0,
      note: null,
    })),
    replay: true,
  };
}

/** One kind of change: who may make it, when, what it changes and why it may be made. */
export interface ChangeKind<T extends ChangeTarget = ChangeTarget> {
  readonly subject: 'forecast' | 'capacity';
  /** The row of src/core/policy.ts that allows this change. */
  readonly action: 'forecast.adjust' | 'capacity.update';
  /** "adjust the demand forecast": for refusals. */
  readonly doing: string;
  /** "a forecast adjustment": for a closed cycle ("nowhere to record …"). */
  readonly what: string;
  /** Taken in every phase of an open cycle, not only the demand review. */
  readonly anyPhase: boolean;
  readonly entity: 'family' | 'resource';
  readonly find: (db: Db, code: string) => Promise<T | null>;
  readonly reasons: readonly string[];
}

export type ChangeTarget = { readonly id: number; readonly code: string; readonly name: string };

/** A change that passed the checks before its transaction, and how to record it in one. */
export interface OpenChange<T extends ChangeTarget> {
  readonly cycle: CycleRow;
  readonly target: T;
  readonly settings: SettingsRow;
  readonly periods: Period[];
  readonly fences: ReturnType<typeof fencesOf>;
  /** The stored rows of one month: the columns both change tables share. */
  columns(line: ChangeLine, now: Date): ChangeColumns;
  record(trx: Db, ids: readonly string[], lines: readonly ChangeLine[]): Promise<ChangeOutcome>;
}

interface ChangeColumns {
  readonly cycle_id: number;
  readonly period: Period;
  readonly author: string;
  readonly kind: AdjustmentKind;
  readonly value: number;
  readonly reason_code: string;
  readonly comment: string | null;
  readonly before_value: number;
  readonly after_value: number;
  readonly source: RequestMeta['source'];
  readonly request_key: string;
  readonly created_at: Date;
}

/**
 * What adjustments and capacity updates check alike before writing: the permission, the typed
 * text, an open cycle that takes the change, an active target, the months and the reason.
 */
export async function openChange<T extends ChangeTarget>(
  deps: AppDeps,
  member: Member,
  input: ChangeInput,
  meta: RequestMeta,
  kind: ChangeKind<T>,
): Promise<OpenChange<T>> {
  requirePermission(member, kind.action, kind.doing);
  checkChangeText(input);
  const [cycle, target, settings] = await Promise.all([
    openCycleForChanges(deps, kind.what, { anyPhase: kind.anyPhase }),
    kind.find(deps.db, input.target),
    getSettings(deps.db),
  ]);
  if (!target) {
    // `FAM 12`: a code typed with a space; the one it means (FAM-12) is advised if it exists,
    // as an import advises it.
    const dashed = dashedCode(input.target);
    const meant = dashed ? await kind.find(deps.db, dashed) : null;
    throw new FieldError(
      'target',
      meant
        ? `The ${kind.entity} code ${spacedCodeRefusal(input.target, kind.entity, meant.code)}.`
        : `There is no active ${kind.entity} ${codeSpan(input.target)}; check the code.`,
    );
  }
  const periods = checkChange(input, horizonOf(cycle, settings), kind.reasons, kind.subject);
  return {
    cycle,
    target,
    settings,
    periods,
    fences: fencesOf(settings),
    columns: (line, now) => ({
      cycle_id: cycle.id,
      period: line.period,
      author: member.userId,
      kind: input.kind,
      value: input.value,
      reason_code: input.reason,
      comment: input.comment?.trim() || null,
      before_value: line.before,
      after_value: line.after,
      source: meta.source,
      request_key: meta.requestKey,
      created_at: now,
    }),
    // Audit the stored change (inside its transaction) and give the outcome shown.
    async record(trx, ids, lines) {
      await audit(trx, {
        actor: member.userId,
        action: kind.action,
        entity: kind.entity,
        entityId: target.code,
        details: {
          cycleId: cycle.id,
          requestKey: meta.requestKey,
          source: meta.source,
          kind: input.kind,
          value: input.value,
          reason: input.reason,
          comment: input.comment,
          ids,
          lines,
        },
      });
      // The recompute this change owes, recorded with it: it is not lost if Redis is down.
      // A burst of changes makes one recompute (SOPBOT_RECOMPUTE_DEBOUNCE_MS).
      const recompute = await requestJob(
        trx,
        'recompute',
        { cycleId: cycle.id, reason: 'submission', requestedBy: member.userId },
        { debounceMs: deps.config.SOPBOT_RECOMPUTE_DEBOUNCE_MS },
      );
      return {
        cycle: { id: cycle.id, month: cycle.month },
        target: { code: target.code, name: target.name },
        author: member.userId,
        input,
        lines,
        replay: false,
        jobRequests: [recompute],
      };
    },
  };
}

/** How a forecast adjustment is taken: until the demand review ends. */
export const FORECAST_CHANGE: ChangeKind<FamilyRef> = {
  subject: 'forecast',
  action: 'forecast.adjust',
  doing: 'adjust the demand forecast',
  what: 'a forecast adjustment',
  anyPhase: false,
  entity: 'family',
  find: familyByCode,
  reasons: FORECAST_REASONS,
};

/** How many of the members who may change a frozen month its refusal names; the rest are counted. */
const EXCEPTION_NAMED = 5;

/**
 * The time fences' refusal of a frozen month (`reason`, which names the roles), then who holds
 * them and how they make the change: the members the policy lets change a frozen month
 * (`forecast.frozen-exception`, SOPBOT_ADMIN_USERS included), mentioned as the other refusals
 * that say whom to ask do, and the command they use.
 */
async function frozenRefusal(deps: AppDeps, reason: string): Promise<string> {
  const who = await membersWhoMay(
    deps.db,
    'forecast.frozen-exception',
    deps.config.SOPBOT_ADMIN_USERS,
  );
  if (who.length === 0)
    return `${reason} Nobody holds those roles yet: an admin gives one with \`/sop role\`.`;
  const named = who.slice(0, EXCEPTION_NAMED).map((u) => `<@${u}>`);
  const more = who.length - named.length;
  const list =
    more > 0
      ? `${named.join(', ')} or ${more} more`
      : named.join(', ').replace(/, ([^,]*)$/, ' or $1');
  return `${reason} Ask ${list} to make this change with \`/forecast\` (typed or in its form).`;
}

/** Store one adjustment request (one or more months) and return the before/after per month. */
export async function submitAdjustment(
  deps: AppDeps,
  member: Member,
  typed: ChangeInput,
  meta: RequestMeta,
): Promise<ChangeOutcome> {
  const input = cleanChangeInput(typed);
  const change = await openChange(deps, member, input, meta, FORECAST_CHANGE);
  const { cycle, target: family, settings, periods, fences } = change;
  const role = member.role as Role;
  const verdicts = periods.map((p) => ({ p, v: checkFence(cycle.month, p, fences, role) }));
  const refused = verdicts.find((x) => !x.v.accepted);
  if (refused)
    throw new SopError(
      'frozen_zone',
      await frozenRefusal(deps, refused.v.reason ?? `${refused.p} is frozen.`),
    );

  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    await lockKey(trx, `adjust:${cycle.id}:${family.id}`);
    const baseline = (await baselineOf(trx, cycle.id, family.id)).filter((b) =>
      periods.includes(b.period),
    );
    const base = baseline.map((b) => ({ family: family.code, period: b.period, value: b.value }));
    const existing = await adjustmentsOf(trx, cycle.id, family.id, periods);
    const mine = periods.map((p) => ({
      id: `new:${p}`,
      family: family.code,
      period: p,
      author: member.userId,
      authorRole: role,
      kind: input.kind,
      value: input.value,
      reasonCode: input.reason,
      comment: input.comment,
      createdAt: now.toISOString(),
    }));
    const before = computeConsensus(base, existing);
    const after = computeConsensus(base, [...existing, ...mine]);
    const valueAt = (lines: typeof before, p: Period) =>
      lines.find((l) => l.period === p)?.consensus ?? 0;
    const lines: ChangeLine[] = verdicts.map(({ p, v }) => ({
      period: p,
      zone: v.zone === 'past' ? 'frozen' : v.zone,
      flagged: v.flagged,
      before: valueAt(before, p),
      after: valueAt(after, p),
      note: v.flagged ? v.reason : null,
    }));
    const inserted = await insertAdjustments(
      trx,
      lines.map((l) => ({
        ...change.columns(l, now),
        family_id: family.id,
        author_role: role,
        status: l.flagged ? 'flagged' : 'accepted',
        zone: l.zone,
        slack_team_id: meta.teamId ?? null,
        slack_channel_id: meta.channelId ?? null,
      })),
    );
    // A retry or a double submit of a stored request: its rows are there already.
    if (inserted.length === 0) {
      const stored = await adjustmentsByRequest(trx, meta.requestKey);
      if (stored.length > 0)
        return replayedChange(stored, cycle, family, input, (r) => ({
          zone: r.zone,
          flagged: r.status === 'flagged',
        }));
    }
    requireCommentOverThreshold(lines, input.comment, settings.comment_threshold_pct);
    return change.record(
      trx,
      inserted.map((r) => r.id),
      lines,
    );
  });
}

/**
 * "No change" for the member's families (or the given ones) in the open cycle. Only a sales rep
 * covers families, and only reps' declarations count (`repsOwingInput`, the demand summary's
 * "by 1 rep"): another role is refused, its list kept from when it was a rep named as kept.
 */
export async function declareNoChangeForMember(
  deps: AppDeps,
  member: Member,
  codes: readonly string[] = member.families,
): Promise<{
  cycleMonth: Period;
  /** The cycle it was declared in, for the demand summary. */
  cycle: { id: number; month: Period };
  families: string[];
  added: number;
}> {
  requirePermission(member, 'forecast.adjust', 'declare no change to the forecast');
  if (!can(member, 'forecast.no-change')) {
    const kept = member.families.length
      ? `, and the families you covered as a sales rep (${member.families.map((c) => codeSpan(c)).join(', ')}) are kept for a return to Sales`
      : '';
    throw new SopError(
      'conflict',
      `Only a sales rep declares no change, for the families they cover; you are *${member.role ? ROLE_LABEL[member.role] : 'without a role'}*${kept}. Nothing was recorded. To change a figure, give it: \`/forecast FAM-12 2027-04 +5% other\`.`,
    );
  }
  const cycle = await openCycleForChanges(deps, 'a no-change declaration');
  if (codes.length === 0)
    throw new SopError(
      'validation',
      'You cover no families yet, so there is nothing to declare. A planner assigns them with `/sop families @you FAM-1 ...`.',
    );
  const fams: FamilyRef[] = [];
  for (const c of codes) {
    const f = await familyByCode(deps.db, c);
    if (!f) throw new FieldError('target', `There is no active family ${codeSpan(c)}.`);
    fams.push(f);
  }
  const added = await deps.db.transaction().execute(async (trx) => {
    const n = await declareNoChange(
      trx,
      cycle.id,
      member.userId,
      fams.map((f) => f.id),
    );
    if (n > 0)
      await audit(trx, {
        actor: member.userId,
        action: 'forecast.no_change',
        entity: 'cycle',
        entityId: cycle.id,
        details: { families: fams.map((f) => f.code) },
      });
    return n;
  });
  return {
    cycleMonth: cycle.month,
    cycle: { id: cycle.id, month: cycle.month },
    families: fams.map((f) => f.code),
    added,
  };
}
