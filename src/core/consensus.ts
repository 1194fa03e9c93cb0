/**
 * Consensus demand: the statistical baseline plus people's adjustments, with every figure
 * explained step by step.
 *
 * Rules, per family and period (adjustments are taken in `createdAt` order, ties in input
 * order):
 * 1. Each person's latest adjustment counts; their earlier ones are superseded.
 * 2. Override: a 'set' by a planner, an executive or an admin wins over everything else. The
 *    latest such set is the consensus; every other adjustment is superseded.
 * 3. Otherwise the starting point is the baseline, unless someone else (a sales rep or ops)
 *    made a 'set': then the latest such set replaces the baseline as the starting point
 *    (whether it came before or after the deltas) and earlier sets are superseded.
 * 4. Every remaining delta is added to the starting point, in time order: 'delta_units' adds
 *    its value, 'delta_pct' adds value % of the starting point (15 means +15%). Deltas by
 *    different people therefore add up and do not compound.
 * 5. The result never goes below zero: when the sum is negative, a final 'floor' step sets 0.
 *
 * `steps` starts with the baseline (adjustmentId 'baseline'), then lists each adjustment that
 * counted with its before/after, then the 'floor' step if one was needed.
 */
import type { Role } from './company.js';
import type { Period } from './period.js';
import { rolesFor } from './policy.js';

export type AdjustmentKind = 'set' | 'delta_units' | 'delta_pct';

/** Who changed a month's figure, how and why: what an adjustment and a consensus step share. */
export interface AdjustmentChange {
  readonly author: string;
  readonly authorRole: Role;
  readonly kind: AdjustmentKind;
  readonly value: number;
  readonly reasonCode: string;
  readonly comment: string | null;
}

export interface Adjustment extends AdjustmentChange {
  readonly id: string;
  readonly family: string;
  readonly period: Period;
  /** ISO timestamp. */
  readonly createdAt: string;
}

export interface ConsensusStep extends AdjustmentChange {
  readonly adjustmentId: string;
  readonly before: number;
  readonly after: number;
}

export interface ConsensusLine {
  readonly family: string;
  readonly period: Period;
  readonly baseline: number;
  readonly consensus: number;
  readonly steps: readonly ConsensusStep[];
  /** Adjustment ids that no longer count. */
  readonly superseded: readonly string[];
}

/** Whose `set` overrides the reps' adjustments: the policy's 'forecast.override' row. */
export const OVERRIDE_ROLES: readonly Role[] = rolesFor('forecast.override');

/** Author of the system steps ('baseline', 'floor'). */
export const SYSTEM_AUTHOR = 'sopbot';

/** The steps people made on a line: all but the system's 'baseline' and 'floor' steps. */
export function peopleSteps<S extends Pick<ConsensusStep, 'adjustmentId'>>(line: {
  readonly steps: readonly S[];
}): S[] {
  return line.steps.filter((s) => s.adjustmentId !== 'baseline' && s.adjustmentId !== 'floor');
}

export type StepBrief = Pick<ConsensusStep, 'author' | 'reasonCode' | 'before' | 'after'>;

/** A step as the charts and the accuracy archive show it: who, why, and the figure's move. */
export function stepBrief(s: StepBrief): StepBrief {
  return { author: s.author, reasonCode: s.reasonCode, before: s.before, after: s.after };
}

/**
 * One adjustment applied to `before`; a percentage applies to `base` (the starting point: the
 * baseline, or a sales rep's set that replaced it). Not floored: the consensus floors the
 * result of all the steps at zero, as a step of its own.
 */
function rawApply(before: number, base: number, kind: AdjustmentKind, value: number): number {
  switch (kind) {
    case 'set':
      return value;
    case 'delta_units':
      return before + value;
    case 'delta_pct':
      return before + (base * value) / 100;
  }
}

function validate(a: Adjustment): void {
  if (!Number.isFinite(a.value))
    throw new RangeError(`adjustment ${a.id}: value must be a finite number, got ${a.value}`);
  if (a.kind === 'set' && a.value < 0)
    throw new RangeError(`adjustment ${a.id}: a 'set' value cannot be negative (${a.value})`);
  if (Number.isNaN(Date.parse(a.createdAt)))
    throw new RangeError(`adjustment ${a.id}: createdAt '${a.createdAt}' is not an ISO timestamp`);
}

function step(a: Adjustment, before: number, after: number): ConsensusStep {
  return {
    adjustmentId: a.id,
    author: a.author,
    authorRole: a.authorRole,
    kind: a.kind,
    value: a.value,
    reasonCode: a.reasonCode,
    comment: a.comment,
    before,
    after,
  };
}

function systemStep(id: string, value: number, before: number, reasonCode: string): ConsensusStep {
  return {
    adjustmentId: id,
    author: SYSTEM_AUTHOR,
    authorRole: 'admin',
    kind: 'set',
    value,
    reasonCode,
    comment: null,
    before,
    after: value,
  };
}

function line(
  family: string,
  period: Period,
  baseline: number,
  adjustments: readonly Adjustment[],
): ConsensusLine {
  const superseded: string[] = [];
  const latestByAuthor = new Map<string, Adjustment>();
  for (const a of adjustments) {
    const prev = latestByAuthor.get(a.author);
    if (prev) superseded.push(prev.id);
    latestByAuthor.set(a.author, a);
  }
  const live = adjustments.filter((a) => latestByAuthor.get(a.author) === a);
  const steps: ConsensusStep[] = [systemStep('baseline', baseline, baseline, 'baseline')];
  const override = live
    .filter((a) => a.kind === 'set' && OVERRIDE_ROLES.includes(a.authorRole))
    .at(-1);
  if (override) {
    for (const a of live) if (a !== override) superseded.push(a.id);
    steps.push(step(override, baseline, override.value));
    return { family, period, baseline, consensus: override.value, steps, superseded };
  }
  const startSet = live.filter((a) => a.kind === 'set').at(-1);
  let start = baseline;
  if (startSet) {
    for (const a of live) if (a.kind === 'set' && a !== startSet) superseded.push(a.id);
    start = startSet.value;
  }
  let running = baseline;
  if (startSet) {
    steps.push(step(startSet, baseline, start));
    running = start;
  }
  for (const a of live) {
    if (a.kind === 'set') continue;
    const after = rawApply(running, start, a.kind, a.value);
    steps.push(step(a, running, after));
    running = after;
  }
  if (running < 0) {
    steps.push(systemStep('floor', 0, running, 'floor_at_zero'));
    running = 0;
  }
  return { family, period, baseline, consensus: running, steps, superseded };
}

/**
 * Consensus for every baseline line, plus a line (baseline 0) for any family and period that
 * has adjustments but no baseline.
 */
export function computeConsensus(
  baseline: readonly { family: string; period: Period; value: number }[],
  adjustments: readonly Adjustment[],
): ConsensusLine[] {
  const key = (f: string, p: Period) => `${f}\u0000${p}`;
  const byKey = new Map<string, Adjustment[]>();
  const ordered = adjustments
    .map((a, i) => {
      validate(a);
      return { a, i, t: Date.parse(a.createdAt) };
    })
    .sort((x, y) => x.t - y.t || x.i - y.i)
    .map((x) => x.a);
  for (const a of ordered) {
    const k = key(a.family, a.period);
    const list = byKey.get(k);
    if (list) list.push(a);
    else byKey.set(k, [a]);
  }
  const out: ConsensusLine[] = [];
  const seen = new Set<string>();
  for (const b of baseline) {
    if (!Number.isFinite(b.value))
      throw new RangeError(`baseline ${b.family} ${b.period}: value must be a finite number`);
    const k = key(b.family, b.period);
    seen.add(k);
    out.push(line(b.family, b.period, b.value, byKey.get(k) ?? []));
  }
  const extra = [...byKey.entries()].filter(([k]) => !seen.has(k));
  extra.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, list] of extra) {
    const first = list[0] as Adjustment;
    out.push(line(first.family, first.period, 0, list));
  }
  return out;
}
