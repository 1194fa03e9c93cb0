/**
 * Forecast KPIs (A = actual, F = forecast), as defined in docs/sop-domain.md.
 *
 * - WMAPE = Σ|A−F| / Σ|A|; accuracy = max(0, 1 − WMAPE).
 * - Bias = Σ(F−A) / ΣA: see {@link BIAS_SIGN_CONVENTION}.
 * - Tracking signal = Σ(A−F) / MAD with MAD = mean|A−F|; investigate outside ±4.
 * - sMAPE (M3) = mean 200·|A−F| / (|A|+|F|), a month with A = F = 0 counts as 0.
 * - MASE = mean|A−F| / in-sample mean|x_t − x_{t−12}| (lag 1 when the history is shorter
 *   than 13 months).
 *
 * Ratios whose denominator is zero are `null`, never NaN or Infinity.
 */
import type { Period } from './period.js';

export const BIAS_SIGN_CONVENTION =
  'bias = Σ(forecast − actual) / Σ actual: positive means over-forecast, negative means under-forecast';

function check(actual: readonly number[], forecast: readonly number[]): void {
  if (actual.length !== forecast.length)
    throw new RangeError(
      `actuals (${actual.length}) and forecasts (${forecast.length}) must have the same length`,
    );
}

export function wmape(actual: readonly number[], forecast: readonly number[]): number | null {
  check(actual, forecast);
  let err = 0;
  let tot = 0;
  actual.forEach((a, i) => {
    err += Math.abs(a - (forecast[i] as number));
    tot += Math.abs(a);
  });
  return tot > 0 ? err / tot : null;
}

export function accuracy(actual: readonly number[], forecast: readonly number[]): number | null {
  const w = wmape(actual, forecast);
  return w === null ? null : Math.max(0, 1 - w);
}

export function bias(actual: readonly number[], forecast: readonly number[]): number | null {
  check(actual, forecast);
  let diff = 0;
  let tot = 0;
  actual.forEach((a, i) => {
    diff += (forecast[i] as number) - a;
    tot += a;
  });
  return tot !== 0 ? diff / tot : null;
}

export function trackingSignal(
  actual: readonly number[],
  forecast: readonly number[],
): number | null {
  check(actual, forecast);
  if (actual.length === 0) return null;
  let sum = 0;
  let abs = 0;
  actual.forEach((a, i) => {
    sum += a - (forecast[i] as number);
    abs += Math.abs(a - (forecast[i] as number));
  });
  const mad = abs / actual.length;
  return mad > 0 ? sum / mad : null;
}

export function smape(actual: readonly number[], forecast: readonly number[]): number | null {
  check(actual, forecast);
  if (actual.length === 0) return null;
  let sum = 0;
  actual.forEach((a, i) => {
    const f = forecast[i] as number;
    const den = Math.abs(a) + Math.abs(f);
    sum += den > 0 ? (200 * Math.abs(a - f)) / den : 0;
  });
  return sum / actual.length;
}

/** The MASE scale: in-sample mean absolute lag-m difference (lag 1 if too short). */
export function maseScale(insample: readonly number[], m = 12): number | null {
  const lag = insample.length > m ? m : 1;
  let sum = 0;
  let c = 0;
  for (let t = lag; t < insample.length; t++) {
    sum += Math.abs((insample[t] as number) - (insample[t - lag] as number));
    c++;
  }
  return c > 0 && sum > 0 ? sum / c : null;
}

export function mase(
  actual: readonly number[],
  forecast: readonly number[],
  insample: readonly number[],
  m = 12,
): number | null {
  check(actual, forecast);
  const scale = maseScale(insample, m);
  if (scale === null || actual.length === 0) return null;
  let sum = 0;
  actual.forEach((a, i) => {
    sum += Math.abs(a - (forecast[i] as number));
  });
  return sum / actual.length / scale;
}

// ---------------------------------------------------------------------------------------
// Forecast value added

export interface ArchivedForecast {
  readonly family: string;
  readonly period: Period;
  /** Months between the cycle that made the forecast and the period (1 = one month ahead). */
  readonly lag: number;
  readonly naive: number;
  readonly statistical: number;
  readonly consensus: number;
  /** In the order they were applied. */
  readonly adjustments: readonly {
    author: string;
    reasonCode: string;
    before: number;
    after: number;
  }[];
}

export const FVA_ERROR_MEASURE =
  'absolute error summed over months (the WMAPE numerator); FVA = error(previous step) − error(this step), positive = the step helped';

/** Errors of one chain of steps over a group of (family, period, lag) pairs. */
export interface FvaBreakdown {
  readonly pairs: number;
  readonly actualSum: number;
  readonly naiveError: number;
  readonly statisticalError: number;
  readonly consensusError: number;
  /** naive error − statistical error. */
  readonly statisticalFva: number;
  /** statistical error − consensus error: what all people's work together added. */
  readonly consensusFva: number;
  /** WMAPE of each step; null when the actuals sum to zero. */
  readonly wmape: {
    readonly naive: number | null;
    readonly statistical: number | null;
    readonly consensus: number | null;
  };
}

/** FVA of individual adjustments, grouped by person or by reason code. */
export interface AdjustmentFva {
  readonly adjustments: number;
  /** Σ|A − before| over the adjustments. */
  readonly errorBefore: number;
  /** Σ|A − after|. */
  readonly errorAfter: number;
  /** errorBefore − errorAfter; positive = the adjustments helped. */
  readonly fva: number;
  readonly helped: number;
  readonly hurt: number;
}

export interface FvaStep {
  /** 'naive', 'statistical', 'adjustments' (all individual changes), 'consensus' (final rules). */
  readonly step: 'naive' | 'statistical' | 'adjustments' | 'consensus';
  readonly error: number;
  /** error(previous step) − error(this step); null for the first step. */
  readonly fva: number | null;
}

export interface FvaReport {
  readonly errorMeasure: string;
  /** Pairs scored (an actual exists for the family and period). */
  readonly matched: number;
  /** Archived forecasts without an actual yet (missing months): skipped. */
  readonly skippedNoActual: number;
  readonly steps: readonly FvaStep[];
  readonly overall: FvaBreakdown;
  readonly byFamily: Readonly<Record<string, FvaBreakdown>>;
  readonly byLag: Readonly<Record<string, FvaBreakdown>>;
  readonly byPerson: Readonly<Record<string, AdjustmentFva>>;
  readonly byReason: Readonly<Record<string, AdjustmentFva>>;
}

interface Acc {
  pairs: number;
  actualSum: number;
  naive: number;
  statistical: number;
  consensus: number;
}

interface AdjAcc {
  adjustments: number;
  errorBefore: number;
  errorAfter: number;
  helped: number;
  hurt: number;
}

const ratio = (num: number, den: number) => (den !== 0 ? num / den : null);

function breakdown(a: Acc): FvaBreakdown {
  return {
    pairs: a.pairs,
    actualSum: a.actualSum,
    naiveError: a.naive,
    statisticalError: a.statistical,
    consensusError: a.consensus,
    statisticalFva: a.naive - a.statistical,
    consensusFva: a.statistical - a.consensus,
    wmape: {
      naive: ratio(a.naive, Math.abs(a.actualSum)),
      statistical: ratio(a.statistical, Math.abs(a.actualSum)),
      consensus: ratio(a.consensus, Math.abs(a.actualSum)),
    },
  };
}

function adjFva(a: AdjAcc): AdjustmentFva {
  return { ...a, fva: a.errorBefore - a.errorAfter };
}

/**
 * Scores the chain naive → statistical → each adjustment → consensus of every archived
 * forecast whose actual has arrived. The 'consensus' step measures what the consensus rules
 * did after the last individual change (an override, the floor at zero).
 */
export function forecastValueAdded(
  archive: readonly ArchivedForecast[],
  actuals: readonly { family: string; period: Period; units: number }[],
): FvaReport {
  const actual = new Map<string, number>();
  for (const a of actuals) actual.set(`${a.family}\u0000${a.period}`, a.units);
  const empty = (): Acc => ({ pairs: 0, actualSum: 0, naive: 0, statistical: 0, consensus: 0 });
  const emptyAdj = (): AdjAcc => ({
    adjustments: 0,
    errorBefore: 0,
    errorAfter: 0,
    helped: 0,
    hurt: 0,
  });
  const overall = empty();
  const byFamily = new Map<string, Acc>();
  const byLag = new Map<string, Acc>();
  const byPerson = new Map<string, AdjAcc>();
  const byReason = new Map<string, AdjAcc>();
  let matched = 0;
  let skipped = 0;
  for (const f of archive) {
    const a = actual.get(`${f.family}\u0000${f.period}`);
    if (a === undefined) {
      skipped++;
      continue;
    }
    matched++;
    const eN = Math.abs(a - f.naive);
    const eS = Math.abs(a - f.statistical);
    const eC = Math.abs(a - f.consensus);
    for (const acc of [
      overall,
      getOr(byFamily, f.family, empty),
      getOr(byLag, String(f.lag), empty),
    ]) {
      acc.pairs++;
      acc.actualSum += a;
      acc.naive += eN;
      acc.statistical += eS;
      acc.consensus += eC;
    }
    for (const adj of f.adjustments) {
      const before = Math.abs(a - adj.before);
      const after = Math.abs(a - adj.after);
      for (const acc of [
        getOr(byPerson, adj.author, emptyAdj),
        getOr(byReason, adj.reasonCode, emptyAdj),
      ]) {
        acc.adjustments++;
        acc.errorBefore += before;
        acc.errorAfter += after;
        if (after < before) acc.helped++;
        else if (after > before) acc.hurt++;
      }
    }
  }
  const steps = buildSteps(overall, archive, actual);
  return {
    errorMeasure: FVA_ERROR_MEASURE,
    matched,
    skippedNoActual: skipped,
    steps,
    overall: breakdown(overall),
    byFamily: Object.fromEntries([...byFamily].map(([k, v]) => [k, breakdown(v)])),
    byLag: Object.fromEntries([...byLag].map(([k, v]) => [k, breakdown(v)])),
    byPerson: Object.fromEntries([...byPerson].map(([k, v]) => [k, adjFva(v)])),
    byReason: Object.fromEntries([...byReason].map(([k, v]) => [k, adjFva(v)])),
  };
}

/**
 * Step errors over all matched pairs: the 'adjustments' step is the error after the last
 * individual change of each pair (the statistical forecast where nobody changed anything).
 */
function buildSteps(
  overall: Acc,
  archive: readonly ArchivedForecast[],
  actual: ReadonlyMap<string, number>,
): FvaStep[] {
  let afterAdjustments = 0;
  for (const f of archive) {
    const a = actual.get(`${f.family}\u0000${f.period}`);
    if (a === undefined) continue;
    const lastAdj = f.adjustments[f.adjustments.length - 1];
    afterAdjustments += Math.abs(a - (lastAdj ? lastAdj.after : f.statistical));
  }
  return [
    { step: 'naive', error: overall.naive, fva: null },
    { step: 'statistical', error: overall.statistical, fva: overall.naive - overall.statistical },
    { step: 'adjustments', error: afterAdjustments, fva: overall.statistical - afterAdjustments },
    { step: 'consensus', error: overall.consensus, fva: afterAdjustments - overall.consensus },
  ];
}

function getOr<V>(map: Map<string, V>, key: string, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

// ---------------------------------------------------------------------------------------
// Execution KPIs: plan adherence, service, stock

/** Plan adherence = 1 − Σ|actual − planned| / Σ planned (production, per family and month). */
export function planAdherence(
  actual: readonly number[],
  planned: readonly number[],
): number | null {
  check(actual, planned);
  let err = 0;
  let tot = 0;
  actual.forEach((a, i) => {
    err += Math.abs(a - (planned[i] as number));
    tot += planned[i] as number;
  });
  return tot > 0 ? 1 - err / tot : null;
}

/** One customer order line; dates are YYYY-MM-DD (compared as text). */
export interface OrderLine {
  readonly requestedDate: string;
  readonly shippedDate: string | null;
  readonly ordered: number;
  readonly shipped: number;
}

const onTime = (l: OrderLine) => l.shippedDate !== null && l.shippedDate <= l.requestedDate;

/** Fill rate (units) = units delivered on time (capped at the ordered quantity) / units ordered. */
export function fillRate(lines: readonly OrderLine[]): number | null {
  let onTimeUnits = 0;
  let ordered = 0;
  for (const l of lines) {
    ordered += l.ordered;
    if (onTime(l)) onTimeUnits += Math.min(l.shipped, l.ordered);
  }
  return ordered > 0 ? onTimeUnits / ordered : null;
}

/** OTIF = lines shipped complete on or before the requested date / lines due. */
export function otif(lines: readonly OrderLine[]): number | null {
  if (lines.length === 0) return null;
  let ok = 0;
  for (const l of lines) if (onTime(l) && l.shipped >= l.ordered) ok++;
  return ok / lines.length;
}

/**
 * Inventory turns, annualised: cost of goods sold over `months` / average inventory value,
 * × 12 / months. Null without stock.
 */
export function inventoryTurns(
  cogs: number,
  averageInventoryValue: number,
  months: number,
): number | null {
  return averageInventoryValue > 0 && months > 0
    ? ((cogs / averageInventoryValue) * 12) / months
    : null;
}

/** Months of cover = stock / average forward monthly demand; null without forward demand. */
export function monthsOfCover(stock: number, forwardDemand: readonly number[]): number | null {
  if (forwardDemand.length === 0) return null;
  const avg = forwardDemand.reduce((s, d) => s + d, 0) / forwardDemand.length;
  return avg > 0 ? stock / avg : null;
}
