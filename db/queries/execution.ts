/**
 * Reads and writes of weekly S&OE: the week's actuals and receipts, the adopted plan's month,
 * who should own a deviation, and the deviations themselves.
 */
import { sql } from 'kysely';
import type { Role } from '../../src/core/company.js';
import type { MonthsAndWeeks } from '../../src/core/execution.js';
import type { Db } from '../connect.js';
import type { ActionRow, CycleRow, DeviationKind } from '../schema.js';
import { isActive } from './codes.js';
import { latestCycleWhere } from './cycles.js';
import { inCodeOrder } from './shared.js';

/**
 * The production actuals of the families a plan is made of (isActive) for the bills open
 * when it begins (billRange): the monthly rows (the `production` import) of the bill months
 * and the weekly ones (`weekly-production`) of their weeks (Mondays, those whose days reach
 * into them), by family code; and the codes of the families still producing, those with
 * production actuals in the `recent` months or weeks (each of which a bill month needs the
 * row of, productionCost); a family last made before them is not producing.
 */
export async function productionActuals(
  db: Db,
  range: { readonly bills: MonthsAndWeeks; readonly recent: MonthsAndWeeks },
) {
  const { bills, recent } = range;
  const [monthly, weekly, families] = await Promise.all([
    db
      .selectFrom('production_actuals')
      .innerJoin('families', 'families.id', 'production_actuals.family_id')
      .select(['families.code as family', 'production_actuals.period', 'production_actuals.units'])
      .where(isActive)
      .where('production_actuals.period', '>=', bills.months.from)
      .where('production_actuals.period', '<=', bills.months.to)
      .execute(),
    db
      .selectFrom('weekly_actuals')
      .innerJoin('families', 'families.id', 'weekly_actuals.family_id')
      .select(['families.code as family', 'weekly_actuals.week', 'weekly_actuals.units'])
      .where(isActive)
      .where('weekly_actuals.kind', '=', 'production')
      .where('weekly_actuals.week', '>=', bills.weeks.from)
      .where('weekly_actuals.week', '<=', bills.weeks.to)
      .execute(),
    db
      .selectFrom('families')
      .select('families.code')
      .where(isActive)
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('production_actuals as p')
              .select(sql`1`.as('one'))
              .whereRef('p.family_id', '=', 'families.id')
              .where('p.period', '>=', recent.months.from)
              .where('p.period', '<=', recent.months.to),
          ),
          eb.exists(
            eb
              .selectFrom('weekly_actuals as w')
              .select(sql`1`.as('one'))
              .whereRef('w.family_id', '=', 'families.id')
              .where('w.kind', '=', 'production')
              .where('w.week', '>=', recent.weeks.from)
              .where('w.week', '<=', recent.weeks.to),
          ),
        ]),
      )
      .orderBy('families.code')
      .execute(),
  ]);
  return { monthly, weekly, families: families.map((f) => f.code) };
}

/**
 * The months and weeks of the production actuals (monthly and weekly) of the plan's families
 * (isActive) written or changed since `since` (an import's start, the database's clock).
 */
export async function productionChangedSince(
  db: Db,
  since: Date,
): Promise<{ months: string[]; weeks: string[] }> {
  const [months, weeks] = await Promise.all([
    db
      .selectFrom('production_actuals')
      .innerJoin('families', 'families.id', 'production_actuals.family_id')
      .select('production_actuals.period')
      .distinct()
      .where(isActive)
      .where('production_actuals.updated_at', '>=', since)
      .execute(),
    db
      .selectFrom('weekly_actuals')
      .innerJoin('families', 'families.id', 'weekly_actuals.family_id')
      .select('weekly_actuals.week')
      .distinct()
      .where(isActive)
      .where('weekly_actuals.kind', '=', 'production')
      .where('weekly_actuals.updated_at', '>=', since)
      .execute(),
  ]);
  return { months: months.map((m) => m.period), weeks: weeks.map((w) => w.week) };
}

export async function weekActuals(db: Db, week: string) {
  const [actuals, receipts] = await Promise.all([
    db
      .selectFrom('weekly_actuals')
      .innerJoin('families', 'families.id', 'weekly_actuals.family_id')
      .select(['families.code as family', 'weekly_actuals.kind', 'weekly_actuals.units'])
      .where('weekly_actuals.week', '=', week)
      .orderBy(inCodeOrder('families.code'))
      .execute(),
    db
      .selectFrom('supplier_receipts')
      .innerJoin('resources', 'resources.id', 'supplier_receipts.resource_id')
      .select(['resources.code as supplier', 'expected', 'received'])
      .where('supplier_receipts.week', '=', week)
      .orderBy(inCodeOrder('resources.code'))
      .execute(),
  ]);
  return { actuals, receipts };
}

/**
 * The plan in force for `month`: the latest cycle of that month or before that adopted a
 * scenario (a later cycle's plan starts after it). Null when none did.
 */
export async function adoptedCycleFor(db: Db, month: string): Promise<CycleRow | null> {
  return latestCycleWhere(db, (eb) =>
    eb.and([eb('month', '<=', month), eb('adopted_scenario_id', 'is not', null)]),
  );
}

/** The latest cycle (open or not): deviations' actions belong to it. */
export async function latestCycle(db: Db): Promise<CycleRow | null> {
  return latestCycleWhere(db);
}

/** The adopted scenario's month per family, with the cycle's baseline and its 80% upper bound. */
export async function planMonth(db: Db, cycle: CycleRow, month: string) {
  if (!cycle.adopted_scenario_id) return [];
  return db
    .selectFrom('plan_family_results as r')
    .innerJoin('families', 'families.id', 'r.family_id')
    .leftJoin('baseline_forecasts as b', (j) =>
      j
        .onRef('b.family_id', '=', 'r.family_id')
        .onRef('b.period', '=', 'r.period')
        .on('b.cycle_id', '=', cycle.id),
    )
    .select([
      'families.code as family',
      'r.demand',
      'r.production',
      'b.value as baseline',
      'b.hi80',
    ])
    .where('r.scenario_id', '=', cycle.adopted_scenario_id)
    .where('r.period', '=', month)
    .execute();
}

/**
 * Members who could own a deviation: by family, the members whose role is in `roles` (those
 * that cover families: `familyCoveringRoles()`, policy row forecast.no-change; with no roles,
 * none); and every member with their role (operations, planners, admins).
 */
export async function ownerCandidates(db: Db, roles: readonly Role[]) {
  const [reps, members] = await Promise.all([
    roles.length === 0
      ? []
      : db
          .selectFrom('member_families')
          .innerJoin('members', 'members.slack_user_id', 'member_families.slack_user_id')
          .innerJoin('families', 'families.id', 'member_families.family_id')
          .select(['families.code as family', 'members.slack_user_id as user'])
          .where('members.role', 'in', [...roles])
          .orderBy('members.slack_user_id')
          .execute(),
    db
      .selectFrom('members')
      .select(['slack_user_id as user', 'role'])
      .orderBy('slack_user_id')
      .execute(),
  ]);
  return { reps, members };
}

export interface NewDeviation {
  readonly dedupeKey: string;
  readonly kind: DeviationKind;
  readonly week: string;
  readonly familyId: number | null;
  readonly resourceId: number | null;
  readonly actual: number | null;
  readonly expected: number | null;
  readonly summary: string;
  readonly comment: string | null;
  readonly reportedBy: string | null;
  readonly frozenBreak: boolean;
  readonly createdAt: Date;
}

/** Inserts the deviation unless its key is known; returns its id when it is new. */
export async function insertDeviation(db: Db, d: NewDeviation): Promise<string | null> {
  const row = await db
    .insertInto('deviations')
    .values({
      dedupe_key: d.dedupeKey,
      kind: d.kind,
      week: d.week,
      family_id: d.familyId,
      resource_id: d.resourceId,
      actual: d.actual,
      expected: d.expected,
      summary: d.summary,
      comment: d.comment,
      reported_by: d.reportedBy,
      frozen_break: d.frozenBreak,
      frozen_break_at: d.frozenBreak ? d.createdAt : null,
      created_at: d.createdAt,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The follow-up action a deviation asks for, in the cycle it belongs to. */
export async function insertDeviationAction(
  trx: Db,
  a: {
    readonly cycleId: number;
    readonly description: string;
    readonly owner: string;
    readonly dueDate: string;
    readonly createdBy: string;
    readonly requestKey: string;
  },
): Promise<ActionRow> {
  return trx
    .insertInto('actions')
    .values({
      cycle_id: a.cycleId,
      description: a.description,
      owner: a.owner,
      due_date: a.dueDate,
      created_by: a.createdBy,
      request_key: a.requestKey,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function linkAction(db: Db, deviationId: string, actionId: string): Promise<void> {
  await db
    .updateTable('deviations')
    .set({ action_id: actionId })
    .where('id', '=', deviationId)
    .execute();
}

/** The deviations a week's checks found (not operations' reports), with their action's status. */
export async function checkedDeviationsOfWeek(db: Db, week: string) {
  return db
    .selectFrom('deviations')
    .innerJoin('actions', 'actions.id', 'deviations.action_id')
    .select([
      'deviations.id',
      'deviations.dedupe_key',
      'deviations.kind',
      'deviations.actual',
      'deviations.summary',
      'deviations.frozen_break',
      'actions.id as action_id',
      'actions.status',
    ])
    .where('deviations.week', '=', week)
    .where('deviations.kind', '<>', 'reported')
    .orderBy('deviations.id')
    .execute();
}

/** A deviation's figures as a corrected import now has them (and its action's words). */
export async function reviseDeviation(
  trx: Db,
  id: string,
  d: {
    readonly actual: number;
    readonly expected: number;
    readonly summary: string;
    readonly frozenBreak: boolean;
    /** Now: kept as when it became a frozen-zone break, if it did just now. */
    readonly at: Date;
    /** Raised again after a resolution: a break dates from now, whatever it was before. */
    readonly reopened?: boolean;
  },
): Promise<void> {
  const row = await trx
    .updateTable('deviations')
    .set((eb) => ({
      actual: d.actual,
      expected: d.expected,
      summary: d.summary,
      frozen_break: d.frozenBreak,
      frozen_break_at: !d.frozenBreak
        ? eb.val<Date | null>(null)
        : d.reopened
          ? eb.val(d.at)
          : eb.fn.coalesce('frozen_break_at', eb.val(d.at)),
    }))
    .where('id', '=', id)
    .returning('action_id')
    .executeTakeFirstOrThrow();
  if (row.action_id)
    await trx
      .updateTable('actions')
      .set({ description: d.summary })
      .where('id', '=', row.action_id)
      .execute();
}

/** The deviation's row and its action's status, locked until `trx` ends. */
export async function lockDeviation(trx: Db, id: string) {
  return (
    (await trx
      .selectFrom('deviations')
      .innerJoin('actions', 'actions.id', 'deviations.action_id')
      .select([
        'deviations.actual',
        'deviations.summary',
        'deviations.frozen_break',
        'actions.id as action_id',
        'actions.status',
        'actions.owner',
      ])
      .where('deviations.id', '=', id)
      .forUpdate()
      .executeTakeFirst()) ?? null
  );
}

/** A resolved deviation's actual as the correction that resolved it has it. */
export async function setDeviationActual(trx: Db, id: string, actual: number): Promise<void> {
  await trx.updateTable('deviations').set({ actual }).where('id', '=', id).execute();
}

/** Opens again a deviation's action a correction had cancelled; returns it, or null. */
export async function reopenCancelledAction(trx: Db, id: string): Promise<ActionRow | null> {
  const row = await trx
    .updateTable('actions')
    .set({ status: 'open' })
    .where('id', '=', id)
    .where('status', '=', 'cancelled')
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Closes an open action as no longer needed (cancelled); false when it was not open. */
export async function cancelOpenAction(trx: Db, id: string): Promise<boolean> {
  const row = await trx
    .updateTable('actions')
    .set({ status: 'cancelled' })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Deviations with their action's owner, due date and status. Those a corrected import
 * resolved (their action cancelled as no longer needed) are left out.
 */
export function deviationsWithActions(db: Db) {
  return db
    .selectFrom('deviations')
    .leftJoin('actions', 'actions.id', 'deviations.action_id')
    .leftJoin('families', 'families.id', 'deviations.family_id')
    .leftJoin('resources', 'resources.id', 'deviations.resource_id')
    .where((eb) =>
      eb.or([eb('actions.status', 'is', null), eb('actions.status', '<>', 'cancelled')]),
    )
    .select([
      'deviations.id',
      'deviations.kind',
      // The family's or resource's code (a report names one of them).
      (eb) => eb.fn.coalesce('families.code', 'resources.code').as('code'),
      'deviations.week',
      'deviations.summary',
      'deviations.frozen_break',
      'deviations.created_at',
      'actions.id as action_id',
      'actions.owner',
      'actions.due_date',
      'actions.status',
    ])
    .orderBy('deviations.week')
    .orderBy('deviations.id');
}

/**
 * Frozen-zone breaks recorded from `since` (inclusive) to `until` (exclusive), for an
 * executive meeting; either bound may be open (null).
 */
export async function frozenBreaksBetween(db: Db, since: Date | null, until: Date | null) {
  let q = deviationsWithActions(db).where('deviations.frozen_break', '=', true);
  // When it became a break: recorded as one, or made one later by a corrected import.
  const at = sql<Date>`coalesce(deviations.frozen_break_at, deviations.created_at)`;
  if (since) q = q.where(at, '>=', since);
  if (until) q = q.where(at, '<', until);
  return q.execute();
}

/** Deviations of the weeks from `from` (inclusive), and every one whose action is still open. */
export async function deviationsForDigest(db: Db, from: string) {
  return deviationsWithActions(db)
    .where((eb) => eb.or([eb('deviations.week', '>=', from), eb('actions.status', '=', 'open')]))
    .execute();
}

/** The week's weekly actuals summed by kind, against nothing: the digest's headline. */
export async function weekTotals(db: Db, week: string) {
  return db
    .selectFrom('weekly_actuals')
    .select(['kind', (eb) => eb.fn.sum<number>('units').as('units')])
    .where('week', '=', week)
    .groupBy('kind')
    .execute();
}

/** One deviation with its action. */
export async function deviationById(db: Db, id: string) {
  const d = await db.selectFrom('deviations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!d) return null;
  const action = d.action_id
    ? ((await db
        .selectFrom('actions')
        .selectAll()
        .where('id', '=', d.action_id)
        .executeTakeFirst()) ?? null)
    : null;
  return { ...d, action };
}

/** The database's clock. */
export async function dbNow(db: Db): Promise<Date> {
  const r = await sql<{ now: Date }>`select now() as now`.execute(db);
  return r.rows[0]!.now;
}

/** The weeks whose weekly actuals or receipts were inserted or changed since `since`. */
export async function weeksChangedSince(db: Db, since: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('weekly_actuals')
    .select('week')
    .where('updated_at', '>=', since)
    .union(db.selectFrom('supplier_receipts').select('week').where('updated_at', '>=', since))
    .orderBy('week')
    .execute();
  return rows.map((r) => r.week);
}
