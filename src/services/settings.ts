import type { Logger } from 'pino';
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import { openPollsPosted } from '../../db/queries/polls.js';
import {
  ensureSettings,
  latestSettings,
  lockedSettings,
  lockedTimezones,
  patchSettings,
  setAllTimezones,
  settingsOfTeam,
} from '../../db/queries/settings.js';
import type { SettingsRow } from '../../db/schema.js';
import type { Config } from '../config.js';
import type { TimeFences } from '../core/company.js';
import { ValidationError } from '../errors.js';
import { requestJob } from './outbox.js';

/** The single workspace's settings row, created with defaults on first use. */
export async function getSettings(db: Db, teamId = 'default'): Promise<SettingsRow> {
  const row = await latestSettings(db);
  if (row) return row;
  await ensureSettings(db, teamId);
  return settingsOfTeam(db, teamId);
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
    | 'soe_production_shortfall_pct'
    | 'soe_receipt_shortfall_pct'
    | 'soe_frozen_break_pct'
    | 'soe_due_days'
    | 'vote_mode'
    | 'vote_quorum'
    | 'timezone'
  >
>;

/** A vote left open where it was posted when the executive channel moved. */
export interface VoteLeftBehind {
  readonly pollId: string;
  readonly channel: string;
  readonly month: string;
}

/** What `changeSettings` did. */
export interface SettingsChange {
  /** The settings as stored. */
  readonly row: SettingsRow;
  /**
   * The open votes posted elsewhere than the new executive channel, when this change moved it
   * (they stay where they are until they close, their decision threaded under them); else none.
   */
  readonly votesLeftBehind: readonly VoteLeftBehind[];
}

/** `changeSettings`, for the callers that only want the row as stored. */
export async function updateSettings(
  db: Db,
  patch: SettingsPatch,
  opts: { readonly by?: string; readonly teamId?: string } = {},
): Promise<SettingsRow> {
  return (await changeSettings(db, patch, opts)).row;
}

/**
 * Applies `patch` to the settings, in one transaction with the row locked, so the rules that
 * span settings see the values the patch is applied to: a frozen fence must leave at least one
 * month of the horizon outside it (a horizon all frozen would take every adjustment to an
 * executive exception and fix all production to the adopted plan). The slushy zone may reach
 * the horizon's end: its months stay open to change, flagged. What changed is audited
 * (`settings.change`, each setting's value before and after) in the same transaction, with
 * `by` as its actor (the admin who typed it; `sopbot` when none is given); a patch that
 * changes nothing writes no entry. Whether it moved the executive channel is decided under the
 * same lock, from the row it changed: a change made at the same instant by someone else is
 * theirs, not this one's.
 */
export async function changeSettings(
  db: Db,
  patch: SettingsPatch,
  opts: { readonly by?: string; readonly teamId?: string } = {},
): Promise<SettingsChange> {
  const current = await getSettings(db, opts.teamId);
  return db.transaction().execute(async (trx) => {
    const locked = await lockedSettings(trx, current.team_id);
    // Only a patch of the two is checked: a row stored before the rule still takes channels.
    if (patch.frozen_months !== undefined || patch.horizon_months !== undefined)
      checkFenceInHorizon(
        patch.frozen_months ?? locked.frozen_months,
        patch.horizon_months ?? locked.horizon_months,
        patch.horizon_months !== undefined && patch.frozen_months === undefined,
      );
    const from: Record<string, unknown> = {};
    const to: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      const before = locked[key as keyof SettingsPatch];
      if (value === undefined || value === before) continue;
      from[key] = before;
      to[key] = value;
    }
    const row = await patchSettings(trx, current.team_id, patch);
    if (Object.keys(to).length > 0)
      await audit(trx, {
        actor: opts.by ?? 'sopbot',
        action: 'settings.change',
        entity: 'settings',
        entityId: current.team_id,
        details: { from, to },
      });
    const votesLeftBehind =
      'exec_channel' in to && row.exec_channel
        ? (await openPollsPosted(trx)).filter((p) => p.channel !== row.exec_channel)
        : [];
    return { row, votesLeftBehind };
  });
}

/** Refuses a frozen fence that covers the whole horizon, saying what to change. */
function checkFenceInHorizon(frozen: number, horizon: number, horizonChanged: boolean): void {
  if (frozen < horizon) return;
  const whole = `the frozen fence (${frozen} month${frozen === 1 ? '' : 's'}) would cover the whole ${horizon}-month horizon, so every change would need an executive exception and production would be fixed to the adopted plan`;
  throw new ValidationError(
    horizonChanged
      ? `Horizon not changed: ${whole}. Set a horizon of at least ${frozen + 1} months, or first shorten the frozen fence with \`/sop settings fences <frozen> <slushy>\`.`
      : `Fences not changed: ${whole}. Set at most ${horizon - 1} frozen month${horizon - 1 === 1 ? '' : 's'}, or first lengthen the horizon with \`/sop settings horizon <months>\`.`,
  );
}

/**
 * At the start of a process: store SOPBOT_TIMEZONE in the settings, and warn when that moved
 * the company to another zone (deadlines already set keep their instants; the open actions'
 * reminders move to their time in the new zone, storeTimezone).
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
      "SOPBOT_TIMEZONE changed the company time zone; deadlines already set keep their instants, and open actions' reminders move to 09:00 in the new zone",
    );
  }
}

/** The time zone of a settings row nobody set (the column's default). */
const DEFAULT_TIMEZONE = 'UTC';

/**
 * Store the deployment's time zone (SOPBOT_TIMEZONE) as the company's, in the settings that
 * every process reads (settings.timezone); the bot and the workers call this when they start.
 * A missing row stands for the defaults, UTC among them, so a row is created only for another
 * zone. A change of zone is audited (`settings.change`, by SOPBOT_TIMEZONE) and, with it, asks
 * for the `reminders-rezone` job (the job outbox: whichever process stores the change, under
 * the rows' lock, asks once, and the relay of any process hands it over even if this one
 * stops), which moves the open actions' reminders waiting to their time in the new zone.
 * Returns the zone it replaced in a stored row, or null.
 */
export async function storeTimezone(db: Db, zone: string): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const zones = await lockedTimezones(trx);
    if (zones.length === 0) {
      if (zone === DEFAULT_TIMEZONE) return null;
      await ensureSettings(trx, 'default', { timezone: zone });
      return null;
    }
    const stale = zones.find((z) => z !== zone);
    if (stale === undefined) return null;
    await setAllTimezones(trx, zone);
    // Deadlines of new cycles and reminders are counted in the zone: who moved it, and when.
    const change = await audit(trx, {
      actor: 'sopbot',
      action: 'settings.change',
      entity: 'settings',
      entityId: null,
      details: { from: { timezone: stale }, to: { timezone: zone }, by: 'SOPBOT_TIMEZONE' },
    });
    await requestJob(trx, 'reminders-rezone', { change });
    return stale;
  });
}
