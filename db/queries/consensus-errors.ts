/**
 * How far past consensus plans missed: for each family, the relative error of the central
 * scenario's first plan month in the latest run of each earlier cycle, against the sales
 * recorded for that month. The stress test widens a family's demand spread with these
 * (src/core/stress/demand.ts, `wideningFromErrors`).
 */
import { sql } from 'kysely';
import type { Db } from '../connect.js';

export async function pastConsensusErrors(
  db: Db,
  beforeMonth: string,
  familyCodes: ReadonlyMap<number, string>,
): Promise<Map<string, number[]>> {
  const rows = await sql<{ family_id: number; forecast: number; actual: number }>`
    with latest as (
      select distinct on (r.cycle_id) r.id, c.month
      from plan_runs r join cycles c on c.id = r.cycle_id
      where c.month < ${beforeMonth}
      order by r.cycle_id, r.created_at desc, r.id desc
    )
    select f.family_id, f.demand as forecast, h.units as actual
    from latest l
    join plan_scenarios s on s.run_id = l.id and s.name = 'central'
    join plan_family_results f on f.scenario_id = s.id and f.period = l.month
    join sales_history h on h.family_id = f.family_id and h.period = f.period
    where f.demand > 0`.execute(db);
  const out = new Map<string, number[]>();
  for (const r of rows.rows) {
    const code = familyCodes.get(r.family_id);
    if (!code) continue;
    const list = out.get(code) ?? [];
    list.push((r.actual - r.forecast) / r.forecast);
    out.set(code, list);
  }
  return out;
}
