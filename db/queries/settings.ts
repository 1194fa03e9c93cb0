/** The workspace settings row: read, created with defaults, patched, and its time zone. */
import type { Db } from '../connect.js';
import type { SettingsRow } from '../schema.js';
import { firstOrNull } from './shared.js';

/** The most recently updated settings row, or null when there is none. */
export async function latestSettings(db: Db): Promise<SettingsRow | null> {
  return firstOrNull(db.selectFrom('workspace_settings').selectAll().orderBy('updated_at', 'desc'));
}

/** The team's settings row, created with the column defaults (and `values`) if missing. */
export async function ensureSettings(
  db: Db,
  teamId: string,
  values: { timezone?: string } = {},
): Promise<void> {
  await db
    .insertInto('workspace_settings')
    .values({ team_id: teamId, ...values })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The team's settings row; throws when there is none. */
export async function settingsOfTeam(db: Db, teamId: string): Promise<SettingsRow> {
  return db
    .selectFrom('workspace_settings')
    .selectAll()
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
}

/** The team's settings row, locked until the caller's transaction ends; throws when there is none. */
export async function lockedSettings(trx: Db, teamId: string): Promise<SettingsRow> {
  return trx
    .selectFrom('workspace_settings')
    .selectAll()
    .where('team_id', '=', teamId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Applies `patch` to the team's row, stamping updated_at; returns the row as stored. */
export async function patchSettings(
  db: Db,
  teamId: string,
  patch: Partial<Omit<SettingsRow, 'team_id' | 'updated_at'>>,
): Promise<SettingsRow> {
  return db
    .updateTable('workspace_settings')
    .set({ ...patch, updated_at: new Date() })
    .where('team_id', '=', teamId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Every settings row's time zone, locked until the caller's transaction ends. */
export async function lockedTimezones(trx: Db): Promise<string[]> {
  const rows = await trx.selectFrom('workspace_settings').select('timezone').forUpdate().execute();
  return rows.map((r) => r.timezone);
}

/** Sets the time zone of every settings row (updated_at is left as it was). */
export async function setAllTimezones(trx: Db, zone: string): Promise<void> {
  await trx.updateTable('workspace_settings').set({ timezone: zone }).execute();
}
