/**
 * Forecast adjustments carry over from one cycle to the next. A promotion entered in January
 * for May is still true in February: when a cycle starts, each adjustment of the previous
 * cycle that still counted in its consensus, for a month the new cycle plans, is copied into
 * the new cycle (source `carried`, `carried_from` the original row). It keeps its author,
 * reason, comment and time, so the consensus rules treat it as before: it counts until its
 * author adjusts that month again, or a planner overrides it. Overrides themselves (a
 * planner's, an executive's or an admin's 'set') are decisions of their cycle and are not
 * carried.
 *
 * A carried adjustment is not a submission of the new cycle: reps still owe their input, and
 * App Home and the demand summary count their own submissions apart from it.
 */
import type { Db } from '../../db/connect.js';
import {
  countedAdjustmentsFrom,
  insertAdjustments,
  toAdjustment,
} from '../../db/queries/adjustments.js';
import type { AdjustmentRow, CycleRow, SettingsRow } from '../../db/schema.js';
import { computeConsensus, OVERRIDE_ROLES } from '../core/consensus.js';
import { nextPeriods } from '../core/period.js';
import { zoneOf } from '../core/time-fences.js';
import { fencesOf } from './settings.js';

/**
 * Copies into `cycle` the adjustments of `previous` that counted, for `cycle.month` on, in
 * `trx` (the transaction that opens the cycle). Idempotent: the request key names the new
 * cycle and the original row. Returns the rows written.
 */
export async function carryAdjustments(
  trx: Db,
  cycle: Pick<CycleRow, 'id' | 'month'>,
  previous: Pick<CycleRow, 'id'>,
  settings: SettingsRow,
): Promise<AdjustmentRow[]> {
  // An override (a planner's, an executive's or an admin's 'set') was that cycle's decision on
  // the figure and beats everything: carried, it would outvote every later input for the
  // month until its author came back to it. It stays with its cycle; what it had overridden
  // carries on.
  const counted = await countedAdjustmentsFrom(trx, previous.id, cycle.month);
  const isOverride = (r: AdjustmentRow) =>
    r.kind === 'set' && OVERRIDE_ROLES.includes(r.author_role);
  const rows = counted.filter((r) => !isOverride(r));
  if (rows.length === 0) return [];
  // The rows a later one of the same author had replaced stay behind (a rep's set also replaces
  // an earlier set as the starting point), an override's author's earlier rows included: a
  // planner who changed a month by +50 and then set it to 900 did not mean the +50 to come back
  // without the 900. Each override enters as a change of nothing, so it replaces only its own
  // author's earlier rows and nobody else's.
  const superseded = new Set(
    computeConsensus(
      [],
      counted.map((r) => {
        const a = toAdjustment(r, String(r.family_id));
        return isOverride(r) ? { ...a, kind: 'delta_units' as const, value: 0 } : a;
      }),
    ).flatMap((l) => l.superseded),
  );
  const fences = fencesOf(settings);
  const horizon = new Set(nextPeriods(cycle.month, settings.horizon_months));
  return insertAdjustments(
    trx,
    rows
      .filter((r) => !superseded.has(String(r.id)) && horizon.has(r.period))
      .map((r) => ({
        cycle_id: cycle.id,
        family_id: r.family_id,
        period: r.period,
        author: r.author,
        author_role: r.author_role,
        kind: r.kind,
        value: r.value,
        reason_code: r.reason_code,
        comment: r.comment,
        status: 'accepted' as const,
        // In the horizon, so never 'past'.
        zone: zoneOf(cycle.month, r.period, fences) as Exclude<ReturnType<typeof zoneOf>, 'past'>,
        before_value: null,
        after_value: null,
        source: 'carried' as const,
        request_key: `carry:${cycle.id}:${r.id}`,
        slack_team_id: r.slack_team_id,
        slack_channel_id: r.slack_channel_id,
        created_at: r.created_at,
        carried_from: r.id,
      })),
  );
}
