/**
 * Capacity updates from operations: a resource's capacity in some months set, or changed by
 * units or by %, with a reason. Capacity before = the period override (resource_capacities)
 * or the regular capacity, with the updates already in force for the cycle applied in order
 * (`openUpdates`: this cycle's, earlier cycles' still open, standing ones), so the before an
 * operator sees is the capacity the plan uses; a % applies to the capacity so far, so two
 * -10% updates make -19%.
 */

import { lockKey } from '../../db/queries/adjustments.js';
import {
  capacityOverrides,
  constraintMonthsOf,
  insertCapacityUpdates,
  openUpdates,
  type ResourceRef,
  resourceByCode,
  updatesByRequest,
} from '../../db/queries/capacity.js';
import type { CapacityUpdateRow } from '../../db/schema.js';
import type { Period } from '../core/period.js';
import { applyCapacityUpdates } from '../core/supply/capacity-check.js';
import { zoneOf } from '../core/time-fences.js';
import type { AppDeps } from '../deps.js';
import {
  type ChangeInput,
  type ChangeKind,
  type ChangeLine,
  type ChangeOutcome,
  cleanChangeInput,
  openChange,
  type RequestMeta,
  replayedChange,
  requireCommentOverThreshold,
} from './adjustments.js';
import { type ConstraintEntry, groupConstraints } from './constraints.js';
import type { Member } from './members.js';

export const CAPACITY_REASONS = [
  'maintenance',
  'breakdown',
  'shortage',
  'supplier',
  'staffing',
  'holiday',
  'other',
] as const;

/** Capacity of each period after the given updates, starting from each period's base. */
/**
 * Capacity per month after the updates in force, by the same rule the plan uses (core's
 * applyCapacityUpdates: in order, a % applies to the capacity so far), so the before → after
 * an operator is shown is what the plan will see.
 */
export function capacityAfterUpdates(
  base: ReadonlyMap<Period, number>,
  updates: readonly Pick<CapacityUpdateRow, 'period' | 'kind' | 'value'>[],
): Map<Period, number> {
  const out = new Map<Period, number>();
  for (const [period, capacity] of base) {
    const inMonth = updates
      .filter((u) => u.period === period)
      .map((u, i) => ({
        id: String(i),
        resource: '',
        period,
        kind: u.kind,
        value: u.value,
        reason: '',
      }));
    out.set(period, applyCapacityUpdates(capacity, inMonth).capacity);
  }
  return out;
}

/**
 * The open constraints among `earlier` (the updates in force in the months of a new one), each
 * whole as `/sop constraints` lists it for the cycle of `month` (its open months from that
 * month on, numbered by the first), so the new update's confirmation can name them.
 */
async function constraintsAmong(
  trx: AppDeps['db'],
  earlier: readonly Pick<CapacityUpdateRow, 'id' | 'request_key' | 'is_constraint'>[],
  month: Period,
): Promise<ConstraintEntry[]> {
  const firsts = new Map<string, string>();
  for (const u of earlier)
    if (u.is_constraint && !firsts.has(u.request_key)) firsts.set(u.request_key, u.id);
  const entries: ConstraintEntry[] = [];
  for (const id of firsts.values()) {
    const months = await constraintMonthsOf(trx, id);
    entries.push(
      ...groupConstraints(months.filter((m) => m.status === 'open' && m.period >= month)),
    );
  }
  return entries;
}

/** How a capacity update is taken: in every phase, since the supply review is when they come. */
export const CAPACITY_CHANGE: ChangeKind<ResourceRef> = {
  subject: 'capacity',
  action: 'capacity.update',
  doing: 'update capacity',
  what: 'a capacity update',
  anyPhase: true,
  entity: 'resource',
  find: resourceByCode,
  reasons: CAPACITY_REASONS,
};

export async function submitCapacityUpdate(
  deps: AppDeps,
  member: Member,
  typed: ChangeInput,
  meta: RequestMeta,
): Promise<ChangeOutcome> {
  const input = cleanChangeInput(typed);
  const change = await openChange(deps, member, input, meta, CAPACITY_CHANGE);
  const { cycle, target: resource, settings, periods, fences } = change;
  const now = deps.clock.now();

  return deps.db.transaction().execute(async (trx) => {
    await lockKey(trx, `capacity:${resource.id}`);
    const again = await updatesByRequest(trx, meta.requestKey);
    if (again.length > 0) {
      // Slack's retry, a double submit: the answer is the first one's, with the constraints
      // it counted with (those entered before it and still open), not only its lines.
      const own = again.reduce(
        (low, r) => (BigInt(r.id) < low ? BigInt(r.id) : low),
        BigInt(again[0]!.id),
      );
      const before = (await openUpdates(trx, resource.id, periods, cycle.id)).filter(
        (u) => BigInt(u.id) < own,
      );
      const replayed = replayedChange(again, cycle, resource, input, () => ({
        zone: 'liquid',
        flagged: false,
      }));
      return { ...replayed, alsoOpen: await constraintsAmong(trx, before, cycle.month) };
    }
    const overrides = await capacityOverrides(trx, resource.id, periods);
    const base = new Map(periods.map((p) => [p, overrides.get(p) ?? resource.regularCapacity]));
    const earlier = await openUpdates(trx, resource.id, periods, cycle.id);
    const before = capacityAfterUpdates(base, earlier);
    const after = capacityAfterUpdates(base, [
      ...earlier,
      ...periods.map((p) => ({ period: p, kind: input.kind, value: input.value })),
    ]);
    const lines: ChangeLine[] = periods.map((p) => {
      const zone = zoneOf(cycle.month, p, fences);
      return {
        period: p,
        zone: zone === 'past' ? 'frozen' : zone,
        flagged: false,
        before: before.get(p) ?? 0,
        after: after.get(p) ?? 0,
        note: null,
      };
    });
    requireCommentOverThreshold(lines, input.comment, settings.comment_threshold_pct);
    const inserted = await insertCapacityUpdates(
      trx,
      lines.map((l) => ({
        ...change.columns(l, now),
        resource_id: resource.id,
        is_constraint: l.after < l.before,
      })),
    );
    // Two people (or one, twice) entering the same breakdown cut the capacity twice: the
    // confirmation names the constraints this one counts with, and how to take one back.
    const alsoOpen = await constraintsAmong(trx, earlier, cycle.month);
    const outcome = await change.record(
      trx,
      inserted.map((r) => r.id),
      lines,
    );
    return { ...outcome, alsoOpen };
  });
}
