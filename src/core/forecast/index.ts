/**
 * Baseline forecasting for monthly series. `auto` (the product default) is the median, month
 * by month, of four members: ETS selected by AICc (R's forecast::ets model set, its initial
 * states estimated by least squares), the M3 Theta method, automatic ARIMA on the logs, and
 * MAPA-style temporal aggregation on the logs; with per-horizon conformal intervals. The
 * members, the rule and the intervals were chosen by rolling-origin validation on training
 * data (calibration.ts). Combining forecasts from different model families is the most
 * reliable single improvement in the forecasting-competition literature (M3, M4).
 *
 * Fallbacks, in order: empty or non-finite input is refused; an all-zero series forecasts
 * zero; fewer than 4 points use naive; intermittent series (≥ 30% zeros) use SBA; fewer than
 * two seasons disable seasonality; zero or negative values disable multiplicative models.
 * Forecasts of nonnegative series are clamped at 0. Output never holds NaN or Infinity.
 */

import { type AutoArimaOptions, arimaForecast, arimaName, autoArima } from './arima.js';
import {
  ARIMA_MEMBER_SEASONAL_THRESHOLD,
  COMBINATION,
  calibrated,
  combineStep,
  type MemberName,
} from './calibration.js';
import { autoCes, cesForecast } from './ces.js';
import { dotmForecast } from './dotm.js';
import type { EtsFit, EtsSpec } from './ets.js';
import {
  type AutoEtsOptions,
  autoEts,
  etsForecast,
  etsName,
  fitEts,
  type Interval,
} from './ets.js';
import { fitHoltWinters, holtWintersPoint } from './holt-winters.js';
import { mapaForecast } from './mapa.js';
import { Z80, Z95 } from './prng.js';
import { reseason, seasonallyAdjust } from './seasonal-adjust.js';
import {
  crostonForecast,
  isIntermittent,
  meanForecast,
  naiveForecast,
  seasonalNaiveForecast,
} from './simple.js';
import { thetaForecast } from './theta.js';

export type ForecastMethod =
  | 'auto'
  | 'ets'
  | 'naive'
  | 'snaive'
  | 'mean'
  | 'ses'
  | 'holt'
  | 'damped'
  | 'hw-additive'
  | 'hw-multiplicative'
  | 'theta'
  | 'croston'
  | 'sba'
  | 'dotm'
  | 'ces'
  | 'arima'
  | 'mapa'
  | 'arima-log'
  | 'mapa-log';

export const FORECAST_METHODS: readonly ForecastMethod[] = [
  'auto',
  'ets',
  'naive',
  'snaive',
  'mean',
  'ses',
  'holt',
  'damped',
  'hw-additive',
  'hw-multiplicative',
  'theta',
  'croston',
  'sba',
  'dotm',
  'ces',
  'arima',
  'mapa',
  'arima-log',
  'mapa-log',
];

export interface ForecastOptions {
  readonly horizon: number;
  readonly method?: ForecastMethod;
  /** Default 12. */
  readonly seasonPeriod?: number;
}

export interface ForecastResult {
  /** The model actually used, e.g. 'ETS(M,Ad,M)', 'theta' or 'comb(ETS(M,A,M), theta, dotm, CES(full))'. */
  readonly method: string;
  readonly params: Readonly<Record<string, number>>;
  readonly aicc: number | null;
  readonly mean: readonly number[];
  readonly lo80: readonly number[];
  readonly hi80: readonly number[];
  readonly lo95: readonly number[];
  readonly hi95: readonly number[];
  readonly notes: readonly string[];
}

/** A forecast before the final clean-up (clamping, ordering of bounds, finite checks). */
export interface Draft extends Interval {
  readonly method: string;
  readonly params: Record<string, number>;
  readonly aicc: number | null;
  readonly notes: string[];
}

export function forecast(y: readonly number[], opts: ForecastOptions): ForecastResult {
  const h = opts.horizon;
  const m = opts.seasonPeriod ?? 12;
  if (!Number.isInteger(h) || h < 1)
    throw new RangeError(`horizon must be a whole number ≥ 1, got ${h}`);
  if (!Number.isInteger(m) || m < 1)
    throw new RangeError(`seasonPeriod must be a whole number ≥ 1, got ${m}`);
  if (y.length === 0) throw new RangeError('cannot forecast an empty series');
  const bad = y.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new RangeError(`value ${bad + 1} of the series is not a finite number (${y[bad]})`);
  const draft = dispatch(y, h, m, opts.method ?? 'auto');
  return finish(y, draft);
}

function dispatch(y: readonly number[], h: number, m: number, method: ForecastMethod): Draft {
  const n = y.length;
  const notes: string[] = [];
  if (y.every((v) => v === 0)) {
    return {
      ...flat(0, h),
      method: 'zero',
      params: {},
      aicc: null,
      notes: ['all values are zero: forecast is zero'],
    };
  }
  if (n < 4 && method !== 'naive' && method !== 'mean') {
    notes.push(`only ${n} observations: naive forecast used`);
    return { ...naiveForecast(y, h), method: 'naive', params: {}, aicc: null, notes };
  }
  const seasonOk = m > 1 && n >= 2 * m;
  if (
    m > 1 &&
    !seasonOk &&
    method !== 'naive' &&
    method !== 'mean' &&
    method !== 'croston' &&
    method !== 'sba'
  )
    notes.push(`fewer than two seasons (${n} < ${2 * m}): no seasonality`);
  if (
    !y.every((v) => v > 0) &&
    (method === 'auto' || method === 'ets' || method === 'hw-multiplicative')
  )
    notes.push('zero or negative values: multiplicative models excluded');
  switch (method) {
    case 'auto':
      if (isIntermittent(y)) {
        notes.push('intermittent demand (≥ 30% zero months): SBA used');
        return croston(y, h, 'sba', notes);
      }
      return combination(y, h, seasonOk ? m : 1, notes);
    case 'ets':
      return etsDraft(
        autoEts(y, seasonOk ? m : 1, { seasonal: seasonOk ? undefined : false }),
        y,
        h,
        notes,
      );
    case 'naive':
      return { ...naiveForecast(y, h), method: 'naive', params: {}, aicc: null, notes };
    case 'snaive':
      return { ...seasonalNaiveForecast(y, h, m), method: 'snaive', params: {}, aicc: null, notes };
    case 'mean':
      return { ...meanForecast(y, h), method: 'mean', params: {}, aicc: null, notes };
    case 'ses':
      return adjusted(y, h, seasonOk ? m : 1, { error: 'A', trend: 'N', season: 'N' }, notes);
    case 'holt':
      return adjusted(y, h, seasonOk ? m : 1, { error: 'A', trend: 'A', season: 'N' }, notes);
    case 'damped':
      return adjusted(y, h, seasonOk ? m : 1, { error: 'A', trend: 'Ad', season: 'N' }, notes);
    case 'hw-additive':
    case 'hw-multiplicative':
      return holtWinters(y, h, m, method === 'hw-additive' ? 'additive' : 'multiplicative', notes);
    case 'theta':
      return theta(y, h, seasonOk ? m : 1, notes);
    case 'croston':
    case 'sba':
      return croston(y, h, method, notes);
    case 'dotm':
      return dotm(y, h, seasonOk ? m : 1, notes);
    case 'ces':
      return ces(y, h, seasonOk ? m : 1, notes);
    case 'arima':
      return arima(y, h, seasonOk ? m : 1, notes);
    case 'mapa':
      return mapa(y, h, seasonOk ? m : 1, notes);
    case 'arima-log':
      return onLogs(y, notes, (x) =>
        arima(x, h, seasonOk ? m : 1, notes, {
          seasonalThreshold: ARIMA_MEMBER_SEASONAL_THRESHOLD,
        }),
      );
    case 'mapa-log':
      return onLogs(y, notes, (x) => mapa(x, h, seasonOk ? m : 1, notes));
  }
}

function flat(v: number, h: number): Interval {
  const a = Array.from({ length: h }, () => v);
  return { mean: a, lo80: [...a], hi80: [...a], lo95: [...a], hi95: [...a] };
}

function etsParams(fit: EtsFit, prefix = ''): Record<string, number> {
  const p: Record<string, number> = { [`${prefix}alpha`]: fit.alpha };
  if (fit.spec.trend !== 'N') p[`${prefix}beta`] = fit.beta;
  if (fit.spec.season !== 'N') p[`${prefix}gamma`] = fit.gamma;
  if (fit.spec.trend === 'Ad') p[`${prefix}phi`] = fit.phi;
  p[`${prefix}l0`] = fit.l0;
  if (fit.spec.trend !== 'N') p[`${prefix}b0`] = fit.b0;
  p[`${prefix}sigma`] = Math.sqrt(fit.sigma2);
  return p;
}

function etsDraft(fit: EtsFit | null, y: readonly number[], h: number, notes: string[]): Draft {
  if (!fit) {
    notes.push('no ETS model could be fitted: naive forecast used');
    return { ...naiveForecast(y, h), method: 'naive', params: {}, aicc: null, notes };
  }
  return {
    ...etsForecast(fit, h),
    method: etsName(fit.spec),
    params: etsParams(fit),
    aicc: fit.aicc,
    notes,
  };
}

/** M3-style SES/Holt/damped: fitted on seasonally adjusted data when the series is seasonal. */
function adjusted(
  y: readonly number[],
  h: number,
  m: number,
  spec: EtsSpec,
  notes: string[],
): Draft {
  const adj = seasonallyAdjust(y, m);
  const fit = fitEts(adj.adjusted, spec, 1);
  if (!fit) return etsDraft(null, y, h, notes);
  const f = etsForecast(fit, h);
  if (adj.seasonal)
    notes.push('seasonal (lag-12 autocorrelation test, 90%): fitted on seasonally adjusted data');
  const name = spec.trend === 'N' ? 'ses' : spec.trend === 'A' ? 'holt' : 'damped';
  return {
    mean: reseason(f.mean, adj, y.length),
    lo80: reseason(f.lo80, adj, y.length),
    hi80: reseason(f.hi80, adj, y.length),
    lo95: reseason(f.lo95, adj, y.length),
    hi95: reseason(f.hi95, adj, y.length),
    method: name,
    params: etsParams(fit),
    aicc: adj.seasonal ? null : fit.aicc,
    notes,
  };
}

function theta(y: readonly number[], h: number, m: number, notes: string[]): Draft {
  const r = thetaForecast(y, h, m);
  if (!r) return etsDraft(null, y, h, notes);
  if (r.seasonal)
    notes.push('seasonal (lag-12 autocorrelation test, 90%): multiplicative decomposition');
  return { ...r, method: 'theta', params: { alpha: r.alpha, drift: r.drift }, aicc: null, notes };
}

function dotm(y: readonly number[], h: number, m: number, notes: string[]): Draft {
  const r = dotmForecast(y, h, m);
  if (!r) return etsDraft(null, y, h, notes);
  if (r.fit.seasonal)
    notes.push('seasonal (lag-12 autocorrelation test, 90%): multiplicative decomposition');
  const { fit, ...interval } = r;
  return {
    ...interval,
    method: 'dotm',
    params: { alpha: fit.alpha, theta: fit.theta, l0: fit.l0, sigma: Math.sqrt(fit.mse) },
    aicc: null,
    notes,
  };
}

function mapa(y: readonly number[], h: number, m: number, notes: string[]): Draft {
  const r = mapaForecast(y, h, m);
  if (!r) return etsDraft(null, y, h, notes);
  if (r.seasonal)
    notes.push('seasonal (lag-12 autocorrelation test, 90%): multiplicative decomposition');
  const { levels, seasonal: _, ...interval } = r;
  notes.push(`temporal aggregation: ETS at ${levels.length} levels (${levels.join(', ')} months)`);
  return { ...interval, method: 'mapa', params: { levels: levels.length }, aicc: null, notes };
}

function ces(y: readonly number[], h: number, m: number, notes: string[]): Draft {
  const fit = autoCes(y, m);
  if (!fit) return etsDraft(null, y, h, notes);
  const params: Record<string, number> = { a0: fit.a0, a1: fit.a1 };
  if (fit.seasonality === 'full') Object.assign(params, { b0: fit.b0, b1: fit.b1 });
  if (fit.seasonality === 'partial') params.gamma = fit.gamma;
  params.sigma = Math.sqrt(fit.sigma2);
  return {
    ...cesForecast(fit, h),
    method: `CES(${fit.seasonality})`,
    params,
    aicc: fit.aicc,
    notes,
  };
}

function arima(
  y: readonly number[],
  h: number,
  m: number,
  notes: string[],
  opts: AutoArimaOptions = {},
): Draft {
  const fit = autoArima(y, m, opts);
  if (!fit) return etsDraft(null, y, h, notes);
  const params: Record<string, number> = {};
  fit.ar.forEach((v, i) => {
    params[`ar${i + 1}`] = v;
  });
  fit.ma.forEach((v, i) => {
    params[`ma${i + 1}`] = v;
  });
  fit.sar.forEach((v, i) => {
    params[`sar${i + 1}`] = v;
  });
  fit.sma.forEach((v, i) => {
    params[`sma${i + 1}`] = v;
  });
  if (fit.order.constant) params[fit.order.d + fit.order.D === 0 ? 'mean' : 'drift'] = fit.constant;
  params.sigma = Math.sqrt(fit.sigma2);
  return {
    ...arimaForecast(fit, h),
    method: arimaName(fit.order),
    params,
    aicc: fit.aicc,
    notes,
  };
}

function croston(
  y: readonly number[],
  h: number,
  variant: 'croston' | 'sba',
  notes: string[],
): Draft {
  return {
    ...crostonForecast(y, h, variant),
    method: variant,
    params: { alpha: 0.1 },
    aicc: null,
    notes,
  };
}

function holtWinters(
  y: readonly number[],
  h: number,
  m: number,
  seasonal: 'additive' | 'multiplicative',
  notes: string[],
): Draft {
  const fit = fitHoltWinters(y, m, seasonal);
  if (!fit) {
    notes.push(
      m < 2
        ? `Holt-Winters needs a season of 2 or more months (got ${m}): damped trend used`
        : `Holt-Winters ${seasonal} needs ${2 * m + 1}+ observations${seasonal === 'multiplicative' ? ' and positive values' : ''}: damped trend used`,
    );
    return adjusted(y, h, 1, { error: 'A', trend: 'Ad', season: 'N' }, notes);
  }
  const mean = holtWintersPoint(fit, h);
  // R's predict.HoltWinters intervals for the additive model (used as an approximation for the
  // multiplicative one): var_h = σ²(1 + Σ_{j<h} (α(1 + jβ) + γ(1 − α)·[j mod m = 0])²),
  // σ² = SSE / (n − m − 3)
  const sigma2 = fit.sse / (fit.count - 3);
  const sd = (k: number) => {
    let acc = 1;
    for (let j = 1; j <= k; j++) {
      const c = fit.alpha * (1 + j * fit.beta) + (j % m === 0 ? fit.gamma * (1 - fit.alpha) : 0);
      acc += c * c;
    }
    return Math.sqrt(sigma2 * acc);
  };
  const params: Record<string, number> = {
    alpha: fit.alpha,
    beta: fit.beta,
    gamma: fit.gamma,
    a: fit.a,
    b: fit.b,
  };
  fit.s.forEach((v, k) => {
    params[`s${k + 1}`] = v;
  });
  params.SSE = fit.sse;
  return {
    mean,
    lo80: mean.map((v, k) => v - Z80 * sd(k)),
    hi80: mean.map((v, k) => v + Z80 * sd(k)),
    lo95: mean.map((v, k) => v - Z95 * sd(k)),
    hi95: mean.map((v, k) => v + Z95 * sd(k)),
    method: `hw-${seasonal}`,
    params,
    aicc: null,
    notes,
  };
}

/** A member of `auto` by its short name. */
export interface Member {
  readonly name: MemberName;
  readonly draft: Draft;
}

/**
 * Every candidate member of `auto`, exported so the bench can score each one on its own and
 * the cross-validation bench can choose the combination. A member that could not be fitted
 * (its naive fallback) or produced non-finite values is left out.
 */
export function autoMembers(
  y: readonly number[],
  h: number,
  m: number,
  only: readonly MemberName[] = ['ets', 'theta', 'damped', 'dotm', 'ces'],
  etsOpts: AutoEtsOptions = {},
): Member[] {
  const out: Member[] = [];
  for (const name of only) {
    let d: Draft;
    if (name === 'ets') {
      const fit = autoEts(y, m, { seasonalInit: 'profile', ...etsOpts });
      if (!fit) continue;
      d = etsDraft(fit, y, h, []);
    } else if (name === 'theta') d = theta(y, h, m, []);
    else if (name === 'damped') d = adjusted(y, h, m, { error: 'A', trend: 'Ad', season: 'N' }, []);
    else if (name === 'dotm') d = dotm(y, h, m, []);
    else if (name === 'arima')
      d = arima(y, h, m, [], { seasonalThreshold: ARIMA_MEMBER_SEASONAL_THRESHOLD });
    else if (name === 'mapa') d = mapa(y, h, m, []);
    else if (name === 'arima-log')
      d = onLogs(y, [], (x) =>
        arima(x, h, m, [], { seasonalThreshold: ARIMA_MEMBER_SEASONAL_THRESHOLD }),
      );
    else if (name === 'mapa-log') d = onLogs(y, [], (x) => mapa(x, h, m, []));
    else if (name === 'ets-sa')
      d = onAdjusted(y, m, (x) => etsDraft(autoEts(x, 1, { seasonal: false }), x, h, []));
    else if (name === 'arima-sa') d = onAdjusted(y, m, (x) => arima(x, h, 1, []));
    else if (name === 'ces-sa') d = onAdjusted(y, m, (x) => ces(x, h, 1, []));
    else d = ces(y, h, m, []);
    const all = [d.mean, d.lo80, d.hi80, d.lo95, d.hi95];
    if (d.method !== 'naive' && all.every((a) => a.every(Number.isFinite)))
      out.push({ name, draft: d });
  }
  return out;
}

/**
 * A model fitted on the logs of a positive series (forecast's lambda = 0), its forecasts and
 * bounds turned back with exp: the back-transformed mean is the forecast median, as R's
 * default biasadj = FALSE, and the bounds are the exact quantiles. An additive model on logs
 * has multiplicative seasonality and errors that grow with the level, as most demand does.
 * A series with a zero or negative value is fitted as it is.
 */
function onLogs(
  y: readonly number[],
  notes: string[],
  model: (x: readonly number[]) => Draft,
): Draft {
  if (!y.every((v) => v > 0)) {
    notes.push('zero or negative values: fitted without the log transform');
    return model(y);
  }
  const d = model(y.map(Math.log));
  // the model's own fallback (it has said why in the notes): naive on the series itself
  if (d.method === 'naive')
    return { ...naiveForecast(y, d.mean.length), method: 'naive', params: {}, aicc: null, notes };
  const back = (a: readonly number[]) => a.map(Math.exp);
  return {
    ...d,
    mean: back(d.mean),
    lo80: back(d.lo80),
    hi80: back(d.hi80),
    lo95: back(d.lo95),
    hi95: back(d.hi95),
    method: `${d.method} on logs`,
    params: { ...d.params },
    // the likelihood of the logs is not comparable with fits to the series itself
    aicc: null,
    notes: d.notes,
  };
}

/** A nonseasonal model fitted on the seasonally adjusted series (90% ACF test), reseasoned. */
function onAdjusted(
  y: readonly number[],
  m: number,
  model: (x: readonly number[]) => Draft,
): Draft {
  const adj = seasonallyAdjust(y, m);
  const d = model(adj.adjusted);
  const n = y.length;
  return {
    ...d,
    mean: reseason(d.mean, adj, n),
    lo80: reseason(d.lo80, adj, n),
    hi80: reseason(d.hi80, adj, n),
    lo95: reseason(d.lo95, adj, n),
    hi95: reseason(d.hi95, adj, n),
  };
}

function combination(y: readonly number[], h: number, m: number, notes: string[]): Draft {
  const members = autoMembers(
    y,
    h,
    m,
    COMBINATION.members.map((w) => w.name),
  );
  if (members.length === 0) return etsDraft(null, y, h, notes);
  if (members.length === 1) {
    const only = (members[0] as Member).draft;
    notes.push(`too few observations for the other members: ${only.method} alone`);
    return { ...only, notes: [...notes, ...only.notes] };
  }
  // each member is clamped like a forecast of its own before combining
  const floor = y.every((v) => v >= 0) ? 0 : Number.NEGATIVE_INFINITY;
  const weight = new Map(COMBINATION.members.map((w) => [w.name, w.weight]));
  const weights = members.map((x) => weight.get(x.name) ?? 0);
  const mean = Array.from({ length: h }, (_, k) =>
    combineStep(
      COMBINATION.rule,
      members.map((x) => Math.max(floor, x.draft.mean[k] as number)),
      weights,
    ),
  );
  // the scale of the calibrated intervals: the members' own 95% half-widths, averaged
  const scale = Array.from(
    { length: h },
    (_, k) =>
      members.reduce(
        (s, x) => s + ((x.draft.hi95[k] as number) - (x.draft.lo95[k] as number)) / 2,
        0,
      ) / members.length,
  );
  const params: Record<string, number> = {};
  for (const x of members) {
    for (const [k, v] of Object.entries(x.draft.params)) params[`${x.name}.${k}`] = v;
    if (COMBINATION.rule === 'mean')
      params[`${x.name}.weight`] = (weight.get(x.name) ?? 0) / weights.reduce((a, b) => a + b, 0);
  }
  const ets = members.find((x) => x.name === 'ets');
  const names = members.map((x) => x.draft.method).join(', ');
  notes.push(
    `${COMBINATION.rule === 'mean' ? 'weighted mean' : COMBINATION.rule === 'median' ? 'median' : 'mean without the highest and lowest'} of ${names} (chosen by rolling-origin validation); intervals calibrated per horizon on rolling-origin errors; AICc is the ETS member's`,
  );
  return {
    mean,
    ...calibrated(mean, scale),
    method: `comb(${names})`,
    params,
    aicc: ets?.draft.aicc ?? null,
    notes,
  };
}

/** Clamps nonnegative series at zero, orders the bounds, and replaces anything non-finite. */
function finish(y: readonly number[], d: Draft): ForecastResult {
  const notes = [...d.notes];
  let draft = d;
  const all = [d.mean, d.lo80, d.hi80, d.lo95, d.hi95];
  if (!all.every((a) => a.every(Number.isFinite))) {
    notes.push(`${d.method} produced non-finite values: naive forecast used`);
    draft = { ...naiveForecast(y, d.mean.length), method: 'naive', params: {}, aicc: null, notes };
  }
  const floor = y.every((v) => v >= 0) ? 0 : Number.NEGATIVE_INFINITY;
  const clamp = (a: readonly number[]) => a.map((v) => Math.max(floor, v));
  const mean = clamp(draft.mean);
  const lo95 = clamp(draft.lo95).map((v, k) => Math.min(v, mean[k] as number));
  const lo80 = clamp(draft.lo80).map((v, k) =>
    Math.min(Math.max(v, lo95[k] as number), mean[k] as number),
  );
  const hi95 = clamp(draft.hi95).map((v, k) => Math.max(v, mean[k] as number));
  const hi80 = clamp(draft.hi80).map((v, k) =>
    Math.max(Math.min(v, hi95[k] as number), mean[k] as number),
  );
  const params: Record<string, number> = {};
  for (const [k, v] of Object.entries(draft.params)) if (Number.isFinite(v)) params[k] = v;
  return {
    method: draft.method,
    params,
    aicc: draft.aicc !== null && Number.isFinite(draft.aicc) ? draft.aicc : null,
    mean,
    lo80,
    hi80,
    lo95,
    hi95,
    notes,
  };
}
