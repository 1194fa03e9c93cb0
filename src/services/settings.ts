import type { Db } from '../../db/connect.js';
import type { SettingsRow } from '../../db/schema.js';
import type { TimeFences } from '../core/company.js';

/** The single workspace's settings row, created with defaults on first use. */
export async function getSettings(db: Db, teamId = 'default'): Promise<SettingsRow> {
  const row = await db
    .selectFrom('workspace_settings')
    .selectAll()
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  if (row) return row;
  await db
    .insertInto('workspace_settings')
    .values({ team_id: teamId })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return db
    .selectFrom('workspace_settings')
    .selectAll()
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
}

export function fencesOf(s: SettingsRow): TimeFences {
  return { frozenMonths: s.frozen_months, slushyMonths: s.slushy_months };
}

export type SettingsPatch = Partial<
  Pick<
    SettingsRow,
    | 'demand_channel'
    | 'supply_channel'
    | 'exec_channel'
    | 'horizon_months'
    | 'frozen_months'
    | 'slushy_months'
    | 'comment_threshold_pct'
    | 'vote_mode'
    | 'vote_quorum'
    | 'timezone'
  >
>;

export async function updateSettings(
  db: Db,
  patch: SettingsPatch,
  teamId = 'default',
): Promise<SettingsRow> {
  const current = await getSettings(db, teamId);
  return db
    .updateTable('workspace_settings')
    .set({ ...patch, updated_at: new Date() })
    .where('team_id', '=', current.team_id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
