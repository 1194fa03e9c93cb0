/** Text presenters for `/sop help` and `/sop settings`. */
import type { SettingsRow } from '../../../db/schema.js';
import type { SopSubcommand } from '../command-types.js';
import { esc } from './format.js';

export const FORECAST_USAGE =
  '/forecast FAM-12 2027-03..2027-05 +15% promotion "Spring campaign"   (also =1200, +200, -10%, no-change; no text opens a form)';
export const CAPACITY_USAGE =
  '/capacity LINE-2 2027-01..2027-02 -30% maintenance "Overhaul"   (also =1200, -200; no text opens a form; a cut is a constraint until resolved or withdrawn with /sop constraints)';

export function helpText(subs: readonly Pick<SopSubcommand, 'usage' | 'summary'>[]): string {
  const lines = [
    '*sopbot commands*',
    `• \`${FORECAST_USAGE.split('   ')[0]}\` adjust the demand forecast (no text opens a form)`,
    `• \`${CAPACITY_USAGE.split('   ')[0]}\` update a resource's capacity (no text opens a form)`,
    ...subs.map((s) => `• \`${esc(s.usage)}\` ${esc(s.summary)}`),
  ];
  return lines.join('\n');
}

const chan = (id: string | null) => (id ? `<#${id}>` : '_not set_');

export function settingsText(s: SettingsRow): string {
  return [
    '*sopbot settings*',
    `• Channels: demand ${chan(s.demand_channel)}, supply ${chan(s.supply_channel)}, exec ${chan(s.exec_channel)}`,
    `• Horizon: ${s.horizon_months} months; frozen ${s.frozen_months}, slushy ${s.slushy_months}`,
    `• A comment is required for changes over ${s.comment_threshold_pct}%`,
    `• S&OE: deviations at production ${s.soe_production_shortfall_pct}% below plan, receipts ${s.soe_receipt_shortfall_pct}% short; frozen-zone break at ${s.soe_frozen_break_pct}%; owners get ${s.soe_due_days} working days`,
  ].join('\n');
}
