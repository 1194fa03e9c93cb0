/**
 * `sopbot forecast <history.csv>`: baseline forecasts for every series of a history file,
 * with the model chosen and its parameters; `--evaluate` scores the file's test rows.
 */
import type { ForecastResult } from '../core/forecast/index.js';
import { FORECAST_METHODS, type ForecastMethod, forecast } from '../core/forecast/index.js';
import { mase, smape } from '../core/kpi.js';
import { toCsv } from '../csv/format.js';
import { formatMonth, parseHistoryCsv } from '../csv/history.js';
import { asSopError, UsageError, ValidationError } from '../errors.js';
import { parseCommand, valueFlags } from './command.js';
import { readTextFile } from './text-file.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot forecast <history.csv> [options]

Reads a long CSV (series_id|series|family, period|month as YYYY-MM, value|units, optional
split=train|test) or a two-column period,value file. Train rows are fitted.

Options:
  --method M      ${FORECAST_METHODS.join('|')} (default auto)
  --horizon N     months to forecast (default 18, or the test length with --evaluate)
  --season N      season length in months (default 12)
  --format F      text|json|csv (default text)
  --evaluate      score the forecasts against the test rows (sMAPE and MASE, M3 definitions)
  -h, --help      show this help`;

interface SeriesOut {
  readonly id: string;
  readonly model: string;
  readonly aicc: number | null;
  readonly params: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
  readonly forecast: readonly {
    period: string;
    mean: number;
    lo80: number;
    hi80: number;
    lo95: number;
    hi95: number;
  }[];
  readonly smape?: number | null;
  readonly mase?: number | null;
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1)
    throw new UsageError(`--${flag} must be a whole number ≥ 1, got '${text}'\n\n${USAGE}`);
  return v;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await forecastCommand(argv, io);
  } catch (err) {
    const e = asSopError(err);
    io.stderr(`sopbot forecast: ${e.message}\n${e.details.map((d) => `  ${d}\n`).join('')}`);
    return e.code === 'usage' ? 2 : 1;
  }
}

async function forecastCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(
    argv,
    {
      ...valueFlags('method', 'horizon', 'season', 'format'),
      evaluate: { type: 'boolean' },
    },
    USAGE,
    io,
  );
  if (!args) return 0;
  const { values, positionals } = args;
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0)
    throw new UsageError(`give exactly one history CSV file\n\n${USAGE}`);
  const method = (values.method ?? 'auto') as ForecastMethod;
  if (!FORECAST_METHODS.includes(method))
    throw new UsageError(
      `--method '${values.method}' is not one of ${FORECAST_METHODS.join(', ')}`,
    );
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'csv')
    throw new UsageError(`--format '${format}' is not one of text, json, csv`);
  const horizonFlag = positiveInt(values.horizon, 'horizon');
  const season = positiveInt(values.season, 'season') ?? 12;
  const evaluate = values.evaluate === true;

  const text = await readTextFile(file);
  const parsed = parseHistoryCsv(text, file);
  if (parsed.errors.length > 0)
    throw new ValidationError(`${file} has errors; fix these rows and run again:`, parsed.errors);
  if (parsed.series.length === 0) throw new ValidationError(`${file} holds no data rows`);

  const out: SeriesOut[] = [];
  for (const s of parsed.series) {
    if (s.train.length === 0)
      throw new ValidationError(`${file}: series '${s.id}' has no train rows to fit`);
    if (evaluate && s.test.length === 0)
      throw new ValidationError(
        `${file}: --evaluate needs test rows (split=test), series '${s.id}' has none`,
      );
    const horizon = horizonFlag ?? (evaluate ? s.test.length : 18);
    const r: ForecastResult = forecast(s.train, { horizon, method, seasonPeriod: season });
    const first = s.startIndex + s.train.length;
    const row: SeriesOut = {
      id: s.id,
      model: r.method,
      aicc: r.aicc,
      params: r.params,
      notes: r.notes,
      forecast: r.mean.map((mean, k) => ({
        period: formatMonth(first + k),
        mean,
        lo80: r.lo80[k] as number,
        hi80: r.hi80[k] as number,
        lo95: r.lo95[k] as number,
        hi95: r.hi95[k] as number,
      })),
    };
    if (evaluate) {
      const n = Math.min(horizon, s.test.length);
      const actual = s.test.slice(0, n);
      const fc = r.mean.slice(0, n);
      out.push({ ...row, smape: smape(actual, fc), mase: mase(actual, fc, s.train, season) });
    } else out.push(row);
  }
  const mean = (pick: (s: SeriesOut) => number | null | undefined) => {
    const v = out.map(pick).filter((x): x is number => typeof x === 'number');
    return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  const summary = evaluate ? { smape: mean((s) => s.smape), mase: mean((s) => s.mase) } : {};
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ method, season, ...summary, series: out }, null, 2)}\n`);
  } else if (format === 'csv') {
    // A series is named as the history file names it ("Kettle, 2L", or a cell a spreadsheet
    // would run as a formula): quoted where it must be, and written as text.
    io.stdout(
      toCsv(
        ['series_id', 'period', 'mean', 'lo80', 'hi80', 'lo95', 'hi95', 'model'],
        out.flatMap((s) =>
          s.forecast.map((f) => [s.id, f.period, f.mean, f.lo80, f.hi80, f.lo95, f.hi95, s.model]),
        ),
        { forSpreadsheets: true },
      ),
    );
  } else {
    io.stdout(renderText(out, summary));
  }
  return 0;
}

const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));

function renderText(
  out: readonly SeriesOut[],
  summary: { smape?: number | null; mase?: number | null },
): string {
  const parts: string[] = [];
  for (const s of out) {
    const head = [`${s.id}: ${s.model}`];
    if (s.aicc !== null) head.push(`AICc ${s.aicc.toFixed(2)}`);
    if (s.smape !== undefined && s.smape !== null) head.push(`sMAPE ${s.smape.toFixed(2)}`);
    if (s.mase !== undefined && s.mase !== null) head.push(`MASE ${s.mase.toFixed(3)}`);
    parts.push(head.join('  '));
    const params = Object.entries(s.params).map(([k, v]) => `${k}=${num(v)}`);
    if (params.length > 0) parts.push(`  params: ${params.join(' ')}`);
    for (const n of s.notes) parts.push(`  note: ${n}`);
    parts.push(
      `  ${'period'.padEnd(8)} ${'forecast'.padStart(10)} ${'80% interval'.padStart(23)} ${'95% interval'.padStart(23)}`,
    );
    for (const f of s.forecast)
      parts.push(
        `  ${f.period.padEnd(8)} ${num(f.mean).padStart(10)} ${`${num(f.lo80)} – ${num(f.hi80)}`.padStart(23)} ${`${num(f.lo95)} – ${num(f.hi95)}`.padStart(23)}`,
      );
    parts.push('');
  }
  if (summary.smape !== undefined)
    parts.push(
      `${out.length} series: mean sMAPE ${summary.smape?.toFixed(3) ?? 'n/a'}, mean MASE ${summary.mase?.toFixed(4) ?? 'n/a'}`,
    );
  return `${parts.join('\n')}\n`;
}
