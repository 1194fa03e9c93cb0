import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/types.js';
import { main } from '../../src/cli.js';
import { forecast } from '../../src/core/forecast/index.js';
import { mase, smape } from '../../src/core/kpi.js';
import { parseCsv } from '../../src/csv/parse.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/forecast/${name}`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'sopbot-forecast-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => (out += s), stderr: (s) => (err += s), env: {} };
  const code = await main(['forecast', ...argv], io);
  return { code, out, err };
}

describe('sopbot forecast', () => {
  it('reads the two-column AirPassengers file (month,passengers) as one series', async () => {
    const r = await cli([
      fixture('airpassengers.csv'),
      '--method',
      'hw-additive',
      '--horizon',
      '12',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.series).toHaveLength(1);
    const s = json.series[0];
    expect(s.id).toBe('airpassengers');
    expect(s.model).toBe('hw-additive');
    expect(s.params.gamma).toBeCloseTo(1, 3);
    expect(s.forecast[0].period).toBe('1961-01');
    expect(s.forecast[11].period).toBe('1961-12');
    expect(s.forecast[0].mean).toBeCloseTo(453.4977, 1);
  });

  it('fits train rows and scores test rows of the M3 file with --evaluate', async () => {
    const r = await cli([fixture('m3-two-series.csv'), '--evaluate', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.series.map((s: { id: string }) => s.id)).toEqual(['N1402', 'N2802']);
    // N2802 is undated in M3: its years are kept as written
    expect(json.series[1].forecast[0].period).toMatch(/^\d{1,4}-\d\d$/);
    for (const s of json.series) expect(s.forecast).toHaveLength(18);
    // the top-level figures are the means of the per-series scores, recomputed here
    const { readFileSync } = await import('node:fs');
    const rows = readFileSync(fixture('m3-two-series.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    const scores = ['N1402', 'N2802'].map((id) => {
      const mine = rows.map((l) => l.split(',')).filter((c) => c[0] === id);
      const train = mine.filter((c) => c[4] === 'train').map((c) => Number(c[3]));
      const test = mine.filter((c) => c[4] === 'test').map((c) => Number(c[3]));
      const f = forecast(train, { horizon: 18 }).mean;
      return [smape(test, f) ?? Number.NaN, mase(test, f, train) ?? Number.NaN];
    });
    expect(json.smape).toBeCloseTo(((scores[0]?.[0] ?? 0) + (scores[1]?.[0] ?? 0)) / 2, 8);
    expect(json.mase).toBeCloseTo(((scores[0]?.[1] ?? 0) + (scores[1]?.[1] ?? 0)) / 2, 8);
  });

  it('prints text with the model, parameters and the forecast table', async () => {
    const r = await cli([fixture('airpassengers.csv'), '--horizon', '3']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^airpassengers: comb\(ETS\(M,A[d]?,M\), theta, ARIMA\([^)]*\)\([^)]*\)\[12\] on logs, mapa on logs\)\s+AICc/,
    );
    expect(r.out).toMatch(/params: ets\.alpha=/);
    expect(r.out).toMatch(/1961-03/);
    expect(r.out).not.toMatch(/1961-04/);
  });

  it('runs each new member on its own with --method', async () => {
    for (const [method, name] of [
      ['arima', /^airpassengers: ARIMA\(\d,1,\d\)\(\d,1,\d\)\[12\]/],
      ['ces', /^airpassengers: CES\((partial|full)\)/],
      ['dotm', /^airpassengers: dotm/],
      ['mapa', /^airpassengers: mapa/],
      ['arima-log', /^airpassengers: ARIMA\(\d,\d,\d\)\(\d,\d,\d\)\[12\] on logs/],
      ['mapa-log', /^airpassengers: mapa on logs/],
    ] as const) {
      const r = await cli([fixture('airpassengers.csv'), '--horizon', '3', '--method', method]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(name);
    }
  });

  it('writes CSV with one row per series and month', async () => {
    const r = await cli([
      fixture('m3-two-series.csv'),
      '--horizon',
      '2',
      '--format',
      'csv',
      '--method',
      'theta',
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('series_id,period,mean,lo80,hi80,lo95,hi95,model');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^N1402,1994-03,/);
  });

  it('writes a series named with a comma or a formula as one text cell', async () => {
    // Two series of 24 months, named as a spreadsheet would hold them: "Kettle, 2L" was
    // written unquoted (two cells, every column after it shifted), and =HYPERLINK(…) as a
    // formula Excel runs when the file is opened.
    const file = join(tmp, 'named.csv');
    const rows = ['=HYPERLINK(""http://x.test"",""open"")', 'Kettle, 2L'].flatMap((id) =>
      Array.from(
        { length: 24 },
        (_, i) =>
          `"${id}",${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${100 + i}`,
      ),
    );
    writeFileSync(file, `series,period,units\n${rows.join('\n')}\n`);
    const r = await cli([file, '--horizon', '1', '--format', 'csv', '--method', 'theta']);
    expect(r.code).toBe(0);
    const records = parseCsv(r.out).map((x) => x.fields);
    expect(records.map((f) => [f[0], f[1], f.length])).toEqual([
      ['series_id', 'period', 8],
      [`'=HYPERLINK("http://x.test","open")`, '2027-01', 8],
      ['Kettle, 2L', '2027-01', 8],
    ]);
  });

  it('names the file, line and column of bad rows', async () => {
    const file = join(tmp, 'bad.csv');
    writeFileSync(file, 'family,period,units\nA,2024-01,10\nA,2024-13,11\nA,2024-03,x\n');
    const r = await cli([file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}:3: column 'period': '2024-13' is not a month in YYYY-MM form`);
    expect(r.err).toContain(`${file}:4: column 'units': must be a number, not 'x'`);
  });

  it('reports missing months and duplicate months', async () => {
    const file = join(tmp, 'gaps.csv');
    writeFileSync(file, 'series,month,value\nA,2024-01,1\nA,2024-04,2\nB,2024-01,1\nB,2024-01,2\n');
    const r = await cli([file]);
    expect(r.code).toBe(1);
    // Before: "A jumps from 2024-01 to 2024-04: the months in between are missing", naming
    // neither the months (2024-02 and 2024-03) nor what to write.
    expect(r.err).toContain(
      `${file}:3: column 'month': A jumps from 2024-01 to 2024-04: 2024-02 to 2024-03 are missing (2 months); add a row for A in each, from 2024-02 (0 if nothing was sold that month)`,
    );
    expect(r.err).toMatch(/gaps\.csv:5: column 'month': B has 2024-01 twice \(also line 4\)/);
  });

  it('names the one missing month, and in a two-column file asks for the row without a code', async () => {
    const file = join(tmp, 'one-gap.csv');
    writeFileSync(file, 'month,passengers\n1949-11,1\n1949-12,2\n1950-02,3\n');
    const r = await cli([file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${file}:4: column 'month': one-gap jumps from 1949-12 to 1950-02: 1950-01 is missing; add a row in 1950-01 (0 if nothing was sold that month)`,
    );
  });

  it('rejects unknown methods, bad horizons and a missing file with usage errors', async () => {
    expect((await cli([fixture('airpassengers.csv'), '--method', 'magic'])).code).toBe(2);
    expect((await cli([fixture('airpassengers.csv'), '--horizon', '0'])).err).toMatch(
      /--horizon must be a whole number/,
    );
    const missing = await cli([join(tmp, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read/);
    expect((await cli([])).code).toBe(2);
  });
});
