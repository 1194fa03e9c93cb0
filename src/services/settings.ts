import type { Logger } from 'pino';
import type { Db } from '../../db/connect.js';
import type { SettingsRow } from '../../db/schema.js';
import type { Config } from '../config.js';
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

/**
 * At the start of a process: store SOPBOT_TIMEZONE in the settings, and warn when that moved
 * the company to another zone (deadlines already set keep their instants).
 */
export async function useConfiguredTimezone(
  db: Db,
  config: Pick<Config, 'SOPBOT_TIMEZONE'>,
  logger: Pick<Logger, 'warn'>,
): Promise<void> {
  const before = await storeTimezone(db, config.SOPBOT_TIMEZONE);
  if (before !== null) {
    logger.warn(
      { from: before, to: config.SOPBOT_TIMEZONE },
      'SOPBOT_TIMEZONE changed the company time zone; deadlines already set keep their instants',
    );
  }
}

/** The time zone of a settings row nobody set (the column's default). */
const DEFAULT_TIMEZONE = 'UTC';

/**
 * Store the deployment's time zone (SOPBOT_TIMEZONE) as the company's, in the settings that
 * every process reads (settings.timezone); the bot and the workers call this when they start.
 * A missing row stands for the defaults, UTC among them, so a row is created only for another
 * zone. Returns the zone it replaced in a stored row, or null.
 */
export async function storeTimezone(db: Db, zone: string): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('workspace_settings')
      .select('timezone')
      .forUpdate()
      .execute();
    if (rows.length === 0) {
      if (zone === DEFAULT_TIMEZONE) return null;
      await trx
        .insertInto('workspace_settings')
        .values({ team_id: 'default', timezone: zone })
        .onConflict((oc) => oc.doNothing())
        .execute();
      return null;
    }
    const stale = rows.find((r) => r.timezone !== zone);
    if (!stale) return null;
    await trx.updateTable('workspace_settings').set({ timezone: zone }).execute();
    return stale.timezone;
  });
}
