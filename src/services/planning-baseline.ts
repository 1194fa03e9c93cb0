/**
 * Statistical baselines for every family of a cycle, with core `forecast`. A family's
 * baseline is refitted only when its history (or the horizon) changed since the last fit:
 * the hash of what went in is stored with the model.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import {
  type BaselineModelInput,
  baselineHashes,
  replaceBaselines,
} from '../../db/queries/baselines.js';
import { loadCompany } from '../../db/queries/company.js';
import { cycleById } from '../../db/queries/cycle-inputs.js';
import { salesMonths } from '../../db/queries/sales-months.js';
import type { ForecastMethod } from '../core/forecast/index.js';
import { type FamilyGap, historyEnd, historyGaps } from '../core/history-gaps.js';
import { addMonths, type Period, periodIndex, periodRange } from '../core/period.js';
import { SopError } from '../errors.js';
import { getSettings } from './settings.js';
import { type FitMany, fitInProcess, type SeriesTask } from './thread-pool.js';

export interface BaselineOutcome {
  readonly fitted: number;
  readonly skipped: number;
  /** Families whose series counts months without a sales row as zero sales. */
  readonly zeroFilled: number;
  readonly ms: number;
}

/**
 * The families whose baseline in the cycle of `month` counts months without a sales row as
 * zero sales (gaps between rows, or rows ending before the company's), by code.
 */
export async function zeroFilledFamilies(db: Db, month: Period): Promise<FamilyGap[]> {
  return historyGaps(await salesMonths(db), month);
}

/**
 * Monthly series of one family before `before`: from its first row through `through` (the
 * last month the company's history covers, src/core/history-gaps.ts) or its own last row if
 * later, months without a row filled with zeros. A family whose rows stop before the rest of
 * the company's is forecast from where the company's history ends, not from its last row.
 */
export function monthlySeries(
  rows: readonly { period: Period; units: number }[],
  before: Period,
  through: Period | null = null,
): { first: Period | null; last: Period | null; y: number[] } {
  const end = periodIndex(before);
  const kept = rows.filter((r) => periodIndex(r.period) < end);
  if (kept.length === 0) return { first: null, last: null, y: [] };
  const sorted = [...kept].sort((a, b) => periodIndex(a.period) - periodIndex(b.period));
  const first = sorted[0]!.period;
  const own = sorted[sorted.length - 1]!.period;
  const last =
    through !== null && periodIndex(through) > periodIndex(own) && periodIndex(through) < end
      ? through
      : own;
  const at = new Map(sorted.map((r) => [r.period, r.units]));
  return { first, last, y: periodRange(first, last).map((p) => at.get(p) ?? 0) };
}

export async function fitBaselines(
  db: Db,
  cycleId: number,
  opts: {
    readonly method?: ForecastMethod;
    readonly force?: boolean;
    /** How to fit many series (default: in this thread); the worker passes its thread pool. */
    readonly fit?: FitMany;
  } = {},
): Promise<BaselineOutcome> {
  const t0 = performance.now();
  const cycle = await cycleById(db, cycleId);
  if (!cycle) throw new SopError('not_found', `Cycle ${cycleId} does not exist.`);
  const settings = await getSettings(db);
  const loaded = await loadCompany(db);
  const stored = await baselineHashes(db, cycleId);
  const method = opts.method ?? 'auto';
  const lastPlan = addMonths(cycle.month, settings.horizon_months - 1);
  const byFamily = new Map<string, { period: Period; units: number }[]>();
  for (const h of loaded.company.history) {
    const list = byFamily.get(h.family) ?? [];
    list.push({ period: h.period, units: h.units });
    byFamily.set(h.family, list);
  }
  // The covered period's end: every family's series runs to it, so the hash of a family
  // whose rows stop early changes when the company's history moves on.
  const through = historyEnd(loaded.company.history, cycle.month);
  const models: BaselineModelInput[] = [];
  const tasks: (SeriesTask & { familyId: number; hash: string; last: Period; naive: number })[] =
    [];
  let skipped = 0;
  for (const f of loaded.company.families) {
    const familyId = loaded.familyIds.get(f.code) ?? 0;
    const series = monthlySeries(byFamily.get(f.code) ?? [], cycle.month, through);
    const hash = createHash('sha256')
      .update(`${method}|${cycle.month}|${lastPlan}|${series.first}|${series.y.join(',')}`)
      .digest('hex')
      .slice(0, 32);
    if (!opts.force && stored.get(familyId) === hash) {
      skipped++;
      continue;
    }
    if (series.last === null) {
      // No history at all: a zero baseline, so consensus still has a line per month.
      models.push({
        familyId,
        method: 'none',
        params: {},
        aicc: null,
        historyHash: hash,
        lines: periodRange(cycle.month, lastPlan).map((period) => ({
          period,
          value: 0,
          naive: 0,
          lo80: 0,
          hi80: 0,
          lo95: 0,
          hi95: 0,
        })),
      });
      continue;
    }
    const horizon = periodIndex(lastPlan) - periodIndex(series.last);
    if (horizon < 1) continue;
    tasks.push({
      key: f.code,
      y: series.y,
      horizon,
      familyId,
      hash,
      last: series.last,
      naive: series.y[series.y.length - 1] ?? 0,
    });
  }
  const fits = await (opts.fit ?? fitInProcess)(tasks, method);
  for (const t of tasks) {
    const fit = fits.get(t.key);
    if (!fit || fit instanceof Error)
      throw new SopError(
        'validation',
        `The sales history of family ${t.key} cannot be forecast: ${fit?.message ?? 'no result'}`,
      );
    const lines = fit.mean.flatMap((value, i) => {
      const period = addMonths(t.last, i + 1);
      if (periodIndex(period) < periodIndex(cycle.month)) return [];
      return [
        {
          period,
          value,
          naive: t.naive,
          lo80: fit.lo80[i] ?? null,
          hi80: fit.hi80[i] ?? null,
          lo95: fit.lo95[i] ?? null,
          hi95: fit.hi95[i] ?? null,
        },
      ];
    });
    models.push({
      familyId: t.familyId,
      method: fit.method,
      params: fit.params,
      aicc: fit.aicc !== null && Number.isFinite(fit.aicc) ? fit.aicc : null,
      historyHash: t.hash,
      lines,
    });
  }
  await db.transaction().execute((trx) => replaceBaselines(trx, cycleId, models));
  const zeroFilled = historyGaps(loaded.company.history, cycle.month).length;
  return { fitted: models.length, skipped, zeroFilled, ms: performance.now() - t0 };
}
