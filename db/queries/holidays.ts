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

/** Lists `day` as a holiday named `name`; null when it is listed already (by anyone, committed). */
async function insertHoliday(
  trx: Db,
  holiday: { day: string; name: string | null; by: string },
): Promise<HolidayRow | null> {
  return firstOrNull(
    trx
      .insertInto('company_holidays')
      .values({ day: holiday.day, name: holiday.name, added_by: holiday.by })
      .onConflict((oc) => oc.column('day').doNothing())
      .returningAll(),
  );
}

/** Renames the holiday on `day` (locked by the caller) to `name`, by `by`. */
async function renameHoliday(
  trx: Db,
  holiday: { day: string; name: string | null; by: string },
): Promise<void> {
  await trx
    .updateTable('company_holidays')
    .set({ name: holiday.name, added_by: holiday.by, added_at: new Date() })
    .where('day', '=', holiday.day)
    .execute();
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
  // Inserted first: a day another transaction is listing at the same instant makes this one
  // wait for its commit, then read its row below (a rename of it, audited as one), where a
  // read first would find nothing and audit a second add over it.
  if (await insertHoliday(trx, holiday)) {
    await audit(trx, {
      actor: by,
      action: 'holiday.add',
      entity: 'holiday',
      entityId: day,
      details: { day, name },
    });
    return 'added';
  }
  const before = await lockedHoliday(trx, day);
  // Taken off by someone else since the insert met it: listed again, as new.
  if (!before) return listHoliday(trx, holiday);
  if (before.name === name) return 'unchanged';
  await renameHoliday(trx, holiday);
  await audit(trx, {
    actor: by,
    action: 'holiday.rename',
    entity: 'holiday',
    entityId: day,
    details: { day, from: before.name, to: name },
  });
  return 'renamed';
}
