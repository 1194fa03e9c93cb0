/**
 * Chooses how `auto` combines its members, and calibrates its intervals, by rolling-origin
 * cross-validation on the TRAINING part of the M3 monthly dev series only (test rows are never
 * read). Origins sit 18 and 36 months before the end of each training part; each forecasts 18
 * months, and the second is used when at least 30 months precede it.
 *
 *   npx tsx bench/forecast-cv.ts [--data DIR | --file PATH] [--origins 2] [--step 0.1]
 *                                [--calibration-offsets 6,12,…,54]
 *
 * Prints every member, equal-weight means and medians of the member subsets, and the best
 * weights on a simplex grid, ranked by sMAPE and MASE relative to the old three-member mean;
 * then cross-checks the weights (fit on one origin, scored on the other). For the pick, it fits
 * calibration windows every 6 months back to 54 months before the end of each training part,
 * chooses which of them make the interval table by trying each design forward (a table built
 * before an origin, scored at it), and prints the table for src/core/forecast/calibration.ts.
 * Last, it prints how far one origin's coverage strays from nominal with that design: each
 * calibration origin scored by the table built without that origin's windows.
 */
import { parseArgs } from 'node:util';
import {
  COMBINATION,
  type Combination,
  calibrated,
  combineStep,
  MEMBER_NAMES,
  type MemberName,
} from '../src/core/forecast/calibration.js';
import { autoMembers } from '../src/core/forecast/index.js';
import { quantileSorted } from '../src/core/forecast/prng.js';
import { isIntermittent } from '../src/core/forecast/simple.js';
import { maseScale } from '../src/core/kpi.js';
import { DATA_OPTIONS, dataPaths, loadSeries } from './forecast-data.js';

const H = 18;

interface Window {
  /** 1 and 2: the full windows at n−18 and n−36; 0: a calibration-only window. */
  readonly origin: number;
  /** Months from the window's origin to the end of the training part. */
  readonly offset: number;
  readonly actual: readonly number[];
  readonly scale: number;
  /** Clamped member means and 95% half-widths, by member; absent when it could not be fitted. */
  readonly means: Partial<Record<MemberName, number[]>>;
  readonly half: Partial<Record<MemberName, number[]>>;
}

/**
 * Windows at the given offsets before the end of each training part. Offsets 18 and 36 are the
 * full windows that rank the combinations (origins 1 and 2); any other offset is a
 * calibration-only window, whose actuals stop at the end of the training part (offset 6 scores
 * horizons 1-6 only).
 */
function windows(
  originsWanted: number,
  file: string,
  extra: readonly number[] = [],
  members: readonly MemberName[] = MEMBER_NAMES,
): Window[] {
  const out: Window[] = [];
  const offsets = [
    ...Array.from({ length: originsWanted }, (_, i) => (i + 1) * H),
    ...extra.filter((o) => o % H !== 0 || o / H > originsWanted),
  ];
  for (const s of loadSeries(file)) {
    for (const offset of offsets) {
      const o = offset % H === 0 && offset / H <= originsWanted ? offset / H : 0;
      const cut = s.train.length - offset;
      if (cut < (offset <= H ? 12 : 30)) continue;
      const train = s.train.slice(0, cut);
      const actual = s.train.slice(cut, cut + H);
      if (train.every((v) => v === 0) || isIntermittent(train)) continue;
      const scale = maseScale(train, 12);
      if (scale === null) continue;
      const m = train.length >= 24 ? 12 : 1;
      const floor = train.every((v) => v >= 0) ? 0 : Number.NEGATIVE_INFINITY;
      const means: Partial<Record<MemberName, number[]>> = {};
      const half: Partial<Record<MemberName, number[]>> = {};
      for (const x of autoMembers(train, H, m, members)) {
        means[x.name] = x.draft.mean.map((v) => Math.max(floor, v));
        half[x.name] = x.draft.hi95.map((v, k) => (v - (x.draft.lo95[k] as number)) / 2);
      }
      out.push({ origin: o, offset, actual, scale, means, half });
    }
  }
  return out;
}

type Weights = Partial<Record<MemberName, number>>;

type Rule = Combination['rule'];

function combine(w: Window, weights: Weights, rule: Rule): number[] | null {
  const names = MEMBER_NAMES.filter((n) => (weights[n] ?? 0) > 0 && w.means[n]);
  if (names.length === 0) return null;
  const ws = names.map((n) => weights[n] as number);
  return w.actual.map((_, k) =>
    combineStep(
      rule,
      names.map((n) => (w.means[n] as number[])[k] as number),
      ws,
    ),
  );
}

function score(ws: readonly Window[], weights: Weights, rule: Rule = 'mean') {
  let s = 0;
  let m = 0;
  let c = 0;
  for (const w of ws) {
    const f = combine(w, weights, rule);
    if (!f) continue;
    let a = 0;
    let b = 0;
    w.actual.forEach((y, k) => {
      const v = f[k] as number;
      const den = Math.abs(y) + Math.abs(v);
      a += den > 0 ? (200 * Math.abs(y - v)) / den : 0;
      b += Math.abs(y - v);
    });
    s += a / H;
    m += b / H / w.scale;
    c++;
  }
  return { smape: s / c, mase: m / c };
}

function* simplex(n: number, steps: number): Generator<number[]> {
  if (n === 1) {
    yield [steps];
    return;
  }
  for (let i = 0; i <= steps; i++) for (const rest of simplex(n - 1, steps - i)) yield [i, ...rest];
}

function bestWeights(
  ws: readonly Window[],
  steps: number,
  base: { smape: number; mase: number },
  names: readonly MemberName[],
) {
  let best: { w: Weights; rel: number } | null = null;
  for (const g of simplex(names.length, steps)) {
    const w: Weights = {};
    names.forEach((n, i) => {
      w[n] = (g[i] as number) / steps;
    });
    const r = score(ws, w);
    const rel = r.smape / base.smape + r.mase / base.mase;
    if (!best || rel < best.rel) best = { w, rel };
  }
  return best as { w: Weights; rel: number };
}

function label(w: Weights): string {
  return MEMBER_NAMES.filter((n) => (w[n] ?? 0) > 0)
    .map((n) => `${n} ${(w[n] as number).toFixed(2)}`)
    .join(', ');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      ...DATA_OPTIONS,
      origins: { type: 'string', default: '2' },
      'calibration-offsets': { type: 'string', default: '6,12,18,24,30,36,42,48,54' },
      step: { type: 'string', default: '0.1' },
    },
  });
  const { file } = dataPaths(values);
  const t0 = performance.now();
  const calOffsets = String(values['calibration-offsets']).split(',').map(Number);
  // the combinations are ranked on the full windows, which fit every candidate
  const ws = windows(Number(values.origins), file);
  const tFit = (performance.now() - t0) / 1000;
  const old: Weights = { ets: 1, theta: 1, damped: 1 };
  const base = score(ws, old);
  const rows: {
    name: string;
    smape: number;
    mase: number;
    w?: Weights;
    untuned?: boolean;
    rule?: Rule;
  }[] = [];
  for (const n of MEMBER_NAMES) rows.push({ name: n, ...score(ws, { [n]: 1 }) });
  for (let mask = 1; mask < 1 << MEMBER_NAMES.length; mask++) {
    const names = MEMBER_NAMES.filter((_, i) => mask & (1 << i));
    if (names.length < 2) continue;
    const w: Weights = Object.fromEntries(names.map((n) => [n, 1]));
    rows.push({
      name: `mean(${names.join(', ')})`,
      ...score(ws, w),
      w,
      untuned: true,
      rule: 'mean',
    });
    if (names.length >= 3)
      rows.push({
        name: `median(${names.join(', ')})`,
        ...score(ws, w, 'median'),
        w,
        untuned: true,
        rule: 'median',
      });
    if (names.length >= 4)
      rows.push({
        name: `trimmed(${names.join(', ')})`,
        ...score(ws, w, 'trimmed'),
        w,
        untuned: true,
        rule: 'trimmed',
      });
  }
  const steps = Math.round(1 / Number(values.step));
  const t1 = performance.now();
  // the weight grid spans the members of the best untuned rule (the grid over all nine
  // candidates would take hours)
  const rel0 = (r: { smape: number; mase: number }) => r.smape / base.smape + r.mase / base.mase;
  const gridNames = MEMBER_NAMES.filter(
    (n) => ([...rows].sort((a, b) => rel0(a) - rel0(b)).find((r) => r.untuned)?.w?.[n] ?? 0) > 0,
  );
  const bw = bestWeights(ws, steps, base, gridNames);
  const tGrid = (performance.now() - t1) / 1000;
  rows.push({ name: `weights(${label(bw.w)})`, ...score(ws, bw.w), w: bw.w });
  const rel = (r: { smape: number; mase: number }) => r.smape / base.smape + r.mase / base.mase;
  rows.sort((a, b) => rel(a) - rel(b));
  const o1 = ws.filter((w) => w.origin === 1);
  const o2 = ws.filter((w) => w.origin === 2);
  const out = [
    `rolling-origin CV on the training part: ${ws.length} windows (${o1.length} at origin n−18, ${o2.length} at n−36), horizon ${H}`,
    `members fitted in ${tFit.toFixed(1)} s; weight grid (step ${values.step}) searched in ${tGrid.toFixed(1)} s`,
    `ranked by sMAPE/sMAPE₀ + MASE/MASE₀, where ₀ is the old mean(ets, theta, damped): ${base.smape.toFixed(3)} / ${base.mase.toFixed(4)}`,
    '',
    `${'combination'.padEnd(56)} ${'sMAPE'.padStart(8)} ${'MASE'.padStart(8)} ${'rel'.padStart(7)}`,
    ...rows
      .slice(0, 25)
      .map(
        (r) =>
          `${r.name.padEnd(56)} ${r.smape.toFixed(3).padStart(8)} ${r.mase.toFixed(4).padStart(8)} ${rel(r).toFixed(4).padStart(7)}`,
      ),
    '  …',
    ...rows
      .filter((r) => MEMBER_NAMES.includes(r.name as MemberName))
      .map(
        (r) =>
          `${r.name.padEnd(56)} ${r.smape.toFixed(3).padStart(8)} ${r.mase.toFixed(4).padStart(8)} ${rel(r).toFixed(4).padStart(7)}`,
      ),
  ];
  // do the weights travel? fit on one origin, score on the other
  if (o1.length > 0 && o2.length > 0) {
    out.push(
      '',
      'weights fitted on one origin, scored on the other (sMAPE / MASE); when they lose to equal',
      'weights there, fitted weights do not travel and the rule below ignores them:',
    );
    for (const [fitOn, scoreOn, a, b] of [
      [o2, o1, 'n−36', 'n−18'],
      [o1, o2, 'n−18', 'n−36'],
    ] as const) {
      const bFit = score(fitOn, old);
      const w = bestWeights(fitOn, steps, bFit, gridNames).w;
      const r = score(scoreOn, w);
      const eq = score(scoreOn, Object.fromEntries(gridNames.map((n) => [n, 1])));
      const cur = score(
        scoreOn,
        Object.fromEntries(COMBINATION.members.map((x) => [x.name, x.weight])),
        COMBINATION.rule,
      );
      out.push(
        `  fit on ${a} → ${label(w)}; on ${b}: ${r.smape.toFixed(3)} / ${r.mase.toFixed(4)}  (equal weights ${eq.smape.toFixed(3)} / ${eq.mase.toFixed(4)}, shipped ${cur.smape.toFixed(3)} / ${cur.mase.toFixed(4)})`,
      );
    }
  }
  const pick = rows.find((r) => r.untuned);
  if (pick)
    out.push(
      '',
      `rule: the best equal-weight mean, median or trimmed mean of a member subset → ${pick.name} (${pick.smape.toFixed(3)} / ${pick.mase.toFixed(4)})`,
    );
  // calibration for the combination the rule picks (the shipped one when nothing changed)
  const shipped: Weights =
    pick?.w ?? Object.fromEntries(COMBINATION.members.map((x) => [x.name, x.weight]));
  const shippedRule: Rule = pick?.rule ?? COMBINATION.rule;
  const shippedNames = MEMBER_NAMES.filter((n) => (shipped[n] ?? 0) > 0);
  const scaleOf = (w: Window) => {
    const names = shippedNames.filter((n) => w.half[n]);
    return w.actual.map(
      (_, k) =>
        names.reduce((a, n) => a + ((w.half[n] as number[])[k] as number), 0) / names.length,
    );
  };
  // a table as a forecaster at `at` months before the end of the training part could build
  // it: a window at offset o lends the horizons whose actuals were known then (k < o − at)
  const tableFrom = (set: readonly Window[], at = 0) => {
    const z: number[][] = Array.from({ length: H }, () => []);
    for (const w of set) {
      const f = combine(w, shipped, shippedRule);
      if (!f) continue;
      const s = scaleOf(w);
      w.actual.forEach((y, k) => {
        if (k < w.offset - at && (s[k] as number) > 0)
          z[k]?.push((y - (f[k] as number)) / (s[k] as number));
      });
    }
    const t: [number, number, number, number][] = [];
    for (let k = 0; k < H; k++) {
      const pool = z
        .slice(Math.max(0, k - 2), Math.min(H, k + 3))
        .flat()
        .sort((a, b) => a - b);
      t.push(
        [0.025, 0.1, 0.9, 0.975].map((p) => quantileSorted(pool, p)) as [
          number,
          number,
          number,
          number,
        ],
      );
    }
    return t;
  };
  const coverage = (set: readonly Window[], t: readonly (readonly number[])[]) => {
    const cover = [0, 0, 0].map(() => ({ n: 0, in80: 0, in95: 0 }));
    for (const w of set) {
      const f = combine(w, shipped, shippedRule);
      if (!f) continue;
      const b = calibrated(f, scaleOf(w), t as [number, number, number, number][]);
      w.actual.forEach((y, k) => {
        const c = cover[Math.floor(k / 6)];
        if (!c) return;
        c.n++;
        if (y >= (b.lo80[k] as number) && y <= (b.hi80[k] as number)) c.in80++;
        if (y >= (b.lo95[k] as number) && y <= (b.hi95[k] as number)) c.in95++;
      });
    }
    return cover
      .map((c, i) => ({
        band: `h${i * 6 + 1}-${i * 6 + 6}`,
        n: c.n,
        c80: (100 * c.in80) / c.n,
        c95: (100 * c.in95) / c.n,
      }))
      .filter((c) => c.n > 0);
  };
  const show = (c: ReturnType<typeof coverage>) =>
    c.map((x) => `${x.band} ${x.c80.toFixed(1)}/${x.c95.toFixed(1)}`).join(', ');
  // The calibration windows: the full windows, and windows every 6 months back to 54 months
  // before the end of each training part, those fitted with the pick's members only. A window
  // scores the horizons whose actuals the training part holds (offset 6: horizons 1-6).
  const full = new Set(ws.map((w) => w.offset));
  const t2 = performance.now();
  const cal = [
    ...ws,
    ...windows(
      0,
      file,
      calOffsets.filter((o) => !full.has(o)),
      shippedNames,
    ),
  ].filter((w) => calOffsets.includes(w.offset));
  const tCal = (performance.now() - t2) / 1000;
  // Which windows make the table? Each design is tried forward: at origins 6, 12 and 18 months
  // before the end of the training part, a table from the windows before that origin is scored
  // on the windows at it. The design closest to 80/95 there (mean absolute gap over origins and
  // bands) builds the table at the end of the training part.
  const designs = [
    { name: 'the latest three origins (6, 12, 18 months back)', back: [6, 12, 18] },
    { name: 'every origin to 36 months back (6, 12, … 36)', back: [6, 12, 18, 24, 30, 36] },
  ];
  const targets = [6, 12, 18];
  const forward = designs.map((d) => {
    let gap = 0;
    let cells = 0;
    const rows = targets.map((at) => {
      const c = coverage(
        cal.filter((w) => w.offset === at),
        tableFrom(
          cal.filter((w) => d.back.includes(w.offset - at)),
          at,
        ),
      );
      for (const x of c) {
        gap += Math.abs(x.c80 - 80) + Math.abs(x.c95 - 95);
        cells++;
      }
      return `at ${at}: ${show(c)}`;
    });
    return { ...d, gap: gap / cells, rows };
  });
  const chosen = [...forward].sort((a, b) => a.gap - b.gap)[0] as (typeof forward)[number];
  const used = cal.filter((w) => chosen.back.includes(w.offset));
  const table = tableFrom(used);
  // How far one origin's coverage strays from nominal with this design: each calibration
  // origin is scored by the design's table built without that origin's windows. The test rows
  // of the dev half are one more origin, so this is the spread to expect there.
  const spread = calOffsets.map((o) => ({
    o,
    c: coverage(
      cal.filter((w) => w.offset === o),
      tableFrom(used.filter((w) => w.offset !== o)),
    ),
  }));
  const dev: number[][] = Array.from({ length: 6 }, () => []);
  for (const { c } of spread)
    c.forEach((x, i) => {
      dev[2 * i]?.push(x.c80 - 80);
      dev[2 * i + 1]?.push(x.c95 - 95);
    });
  const rms = (a: number[]) => Math.sqrt(a.reduce((s, x) => s + x * x, 0) / a.length);
  // The errors' shared scale at each origin: the mean log |z| over its windows, horizons 1-6.
  // When every series' errors grow or shrink together, every series' coverage moves at once.
  const logScale = new Map(
    calOffsets.map((o) => {
      let sum = 0;
      let n = 0;
      for (const w of cal.filter((x) => x.offset === o)) {
        const f = combine(w, shipped, shippedRule);
        if (!f) continue;
        const sc = scaleOf(w);
        for (let k = 0; k < Math.min(6, w.actual.length); k++) {
          const z = Math.abs(((w.actual[k] as number) - (f[k] as number)) / (sc[k] as number));
          if (z > 0 && Number.isFinite(z)) {
            sum += Math.log(z);
            n++;
          }
        }
      }
      return [o, sum / n] as const;
    }),
  );
  const moves = (a: number) => (100 * 2 * a * Math.exp((-a * a) / 2)) / Math.sqrt(2 * Math.PI);
  const scales = [...logScale.values()];
  const meanScale = scales.reduce((a, x) => a + x, 0) / scales.length;
  const sdScale = rms(scales.map((x) => x - meanScale));
  const step = (calOffsets[1] ?? 0) - (calOffsets[0] ?? 0);
  const pairs = calOffsets
    .filter((o) => logScale.has(o + 6))
    .map((o) => [logScale.get(o) as number, logScale.get(o + 6) as number] as const);
  const corr = (xy: readonly (readonly [number, number])[]) => {
    const mx = xy.reduce((a, p) => a + p[0], 0) / xy.length;
    const my = xy.reduce((a, p) => a + p[1], 0) / xy.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (const [x, y] of xy) {
      sxy += (x - mx) * (y - my);
      sxx += (x - mx) ** 2;
      syy += (y - my) ** 2;
    }
    return sxy / Math.sqrt(sxx * syy);
  };
  const whole = spread.filter((x) => x.c.length === 3);
  const inside = whole.filter((x) =>
    x.c.every((y) => Math.abs(y.c80 - 80) <= 1.5 && Math.abs(y.c95 - 95) <= 1.5),
  );
  out.push(
    '',
    "one origin's coverage with this design (a table without that origin's windows):",
    ...spread.map((x) => `  ${String(x.o).padStart(2)} months back: ${show(x.c)}`),
    `  root-mean-square distance from nominal, 80%/95%: ${[0, 1, 2]
      .map(
        (i) =>
          `h${i * 6 + 1}-${i * 6 + 6} ${rms(dev[2 * i] ?? []).toFixed(2)}/${rms(dev[2 * i + 1] ?? []).toFixed(2)}`,
      )
      .join(', ')}`,
    `  origins with every band inside 80 ± 1.5 and 95 ± 1.5: ${inside.length} of ${whole.length}`,
    `  the errors' shared scale (mean log |z|, h1-6), by origin: ${calOffsets.map((o) => `${o} ${(logScale.get(o) as number).toFixed(3)}`).join(', ')}`,
    `  its standard deviation over origins: ${sdScale.toFixed(3)}. A shared shift u of log scale moves normal errors' coverage of ±a by 2·φ(a)·a·u: ${moves(1.2816).toFixed(1)}·u points at 80% and ${moves(1.96).toFixed(1)}·u at 95%, here ${(moves(1.2816) * sdScale).toFixed(1)} and ${(moves(1.96) * sdScale).toFixed(1)} points`,
    `  correlation of an origin's scale with the scale 6 months before it (known at the origin): ${corr(pairs).toFixed(2)} over ${pairs.length} pairs${step > 0 && step !== 6 ? ` (origins every ${step} months)` : ''}`,
  );
  out.push(
    '',
    `combination for calibration.ts (the rule's pick): ${shippedRule} of ${shippedNames.join(', ')}; shipped now: ${COMBINATION.rule} of ${COMBINATION.members.map((x) => x.name).join(', ')}`,
    `calibration windows: ${cal.length} at offsets ${calOffsets.join(', ')} months before the end of the training part (${tCal.toFixed(1)} s)`,
    'which windows make the table, tried forward (80%/95% coverage; gap = mean |coverage − nominal|):',
    ...forward.map((d) => `  ${d.name}: gap ${d.gap.toFixed(2)}; ${d.rows.join('; ')}`),
    `→ ${chosen.name}: ${used.length} windows; their coverage in-sample: ${show(coverage(used, table))}`,
    '',
    'export const INTERVAL_QUANTILES: readonly (readonly [number, number, number, number])[] = [',
    ...table.map((r) => `  [${r.map((v) => v.toFixed(3)).join(', ')}],`),
    '];',
    '',
    `best weights on the grid: ${label(bw.w)}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
