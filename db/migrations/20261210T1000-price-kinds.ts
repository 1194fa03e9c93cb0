/**
 * How each stored "one more" price was had (core's PriceKind and DemandPriceKind,
 * src/core/supply/duals.ts), so that a reader is told when a price is a marginal rate:
 *
 * - `plan_resource_duals.shadow_price_kind`: `exact`, what one more unit of capacity saves;
 *   `rate`, the dual, not solved again (it saves at most that). Null with no price.
 * - `plan_family_duals.demand_price_kind`: `served`, the exact cost of one more unit
 *   demanded; `lost`, that cost is a lost sale's (no way to serve it for less); `unserved`,
 *   no plan meets one more unit (the price is then null, where before no row was kept);
 *   `rate`, the dual, not solved again (it costs at least that).
 *
 * Rows written before this migration keep a null kind: their price may be either the exact
 * figure or the dual, which was not recorded; readers show them as bounds ("at most",
 * "at least"), true of both, and say they were stored before the kind was kept.
 */
import { type Kysely, sql } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table plan_resource_duals
    add column shadow_price_kind text,
    add constraint plan_resource_duals_price_kind check (
      shadow_price_kind is null
      or (shadow_price_kind in ('exact', 'rate') and shadow_price is not null)
    )`.execute(db);
  await sql`alter table plan_family_duals
    alter column demand_price drop not null,
    add column demand_price_kind text,
    add constraint plan_family_duals_price_kind check (
      (demand_price_kind is null and demand_price is not null)
      or (
        demand_price_kind in ('served', 'lost', 'unserved', 'rate')
        and (demand_price_kind = 'unserved') = (demand_price is null)
      )
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // A price no plan meets has no figure to keep in the old shape (the rows are immutable
  // otherwise: sopbot_refuse_change).
  await sql`alter table plan_family_duals disable trigger plan_family_duals_immutable`.execute(db);
  await sql`delete from plan_family_duals where demand_price is null`.execute(db);
  await sql`alter table plan_family_duals enable trigger plan_family_duals_immutable`.execute(db);
  await dropColumns(db, 'plan_resource_duals', ['shadow_price_kind']);
  await dropColumns(db, 'plan_family_duals', ['demand_price_kind']);
  await sql`alter table plan_family_duals alter column demand_price set not null`.execute(db);
}
