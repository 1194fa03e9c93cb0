/** The company's holidays: days off that deadline counting skips like weekends. */
import type { Db } from '../connect.js';
import type { HolidayRow } from '../schema.js';
import { audit } from './audit.js';
import { firstOrNull } from './shared.js';

/** Every holiday, by day; from `from` (YYYY-MM-DD) on when given. */
export async function holidays(db: Db, from?: string): Promise<HolidayRow[]> {
  let q = db.selectFrom('company_holidays').selectAll().orderBy('day');
  if (from !== undefined) q = q.where('day', '>=', from);
  return q.execute();
}

/** How many holidays fall before `day` (YYYY-MM-DD). */
export async function holidaysBefore(db: Db, day: string): Promise<number> {
  const row = await db
    .selectFrom('company_holidays')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('day', '<', day)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The holiday on `day`, locked until the caller's transaction ends, or null. */
export async function lockedHoliday(trx: Db, day: string): Promise<HolidayRow | null> {
  return firstOrNull(
    trx.selectFrom('company_holidays').selectAll().where('day', '=', day).forUpdate(),
  );
}

/**
 * Lists `day` as a holiday named `name`, or renames it; null when it was listed with that
 * name already (a second click, a retry), so nothing changed.
 */
export async function putHoliday(
  trx: Db,
  holiday: { day: string; name: string | null; by: string },
): Promise<HolidayRow | null> {
  return firstOrNull(
    trx
      .insertInto('company_holidays')
      .values({ day: holiday.day, name: holiday.name, added_by: holiday.by })
      .onConflict((oc) =>
        oc
          .column('day')
          .doUpdateSet({ name: holiday.name, added_by: holiday.by, added_at: new Date() })
          .where('company_holidays.name', 'is distinct from', holiday.name),
      )
      .returningAll(),
  );
}

/** Takes `day` off the holidays; the row removed, or null when it was not listed. */
export async function deleteHoliday(trx: Db, day: string): Promise<HolidayRow | null> {
  return firstOrNull(trx.deleteFrom('company_holidays').where('day', '=', day).returningAll());
}

/**
 * Lists `day` as a holiday named `name`, or renames it, audited (`holiday.add`,
 * `holiday.rename`), in the caller's transaction: `/sop cycle holidays add` and the holidays
 * import alike. The same day with the same name again changes nothing (`unchanged`): a double
 * click, Slack's retry, the same file imported twice.
 */
export async function listHoliday(
  trx: Db,
  holiday: { day: string; name: string | null; by: string },
): Promise<'added' | 'renamed' | 'unchanged'> {
  const { day, name, by } = holiday;
  const before = await lockedHoliday(trx, day);
  const row = await putHoliday(trx, holiday);
  if (!row) return 'unchanged';
  const renamed = before !== null;
  await audit(trx, {
    actor: by,
    action: renamed ? 'holiday.rename' : 'holiday.add',
    entity: 'holiday',
    entityId: day,
    details: renamed ? { day, from: before.name, to: name } : { day, name },
  });
  return renamed ? 'renamed' : 'added';
}
