/**
 * Infeasibility in words. The elastic model (buildModel with elastic: true) may leave
 * demand unmet, miss ending targets or add capacity, each at a penalty far above any real
 * cost. Whatever slack it had to use is a requirement that cannot be met; the binding
 * resources and the rules in force (subcontracting, backlog limits, strategy) say why.
 */
import { type BuiltModel, isChase, overtimeCap, type Strategy, stockAt } from './model.js';
import type { PlanProblem } from './problem.js';

const EPS = 1e-6;
const MAX_REASONS = 6;

export function formatQty(n: number): string {
  const r = Math.round(n * 10) / 10;
  return r.toLocaleString('en-US', { maximumFractionDigits: 1 }).replace(/,/g, ' ');
}

interface Shortage {
  readonly size: number;
  readonly text: string;
}

export function explainInfeasible(
  p: PlanProblem,
  m: BuiltModel,
  x: Float64Array,
  strategy: Strategy,
): string[] {
  const T = p.periods.length;
  const val = (j: number | undefined): number => (j === undefined || j < 0 ? 0 : (x[j] ?? 0));
  const loadOn = (r: number, t: number): number => {
    const l = m.loadsByResource[r]!;
    const storage = p.resources[r]!.storage;
    let s = 0;
    for (let n = 0; n < l.f.length; n++) {
      const k = l.f[n]! * T + t;
      s += l.a[n]! * (storage ? stockAt(m, k, val) : val(m.P[k]));
    }
    return s;
  };
  const capacityOf = (r: number, t: number): { regular: number; overtime: number } => {
    const k = r * T + t;
    const res = p.resources[r]!;
    const workers = res.workforce ? val(m.W[k]) : 0;
    const regular = (m.baseCapacity[k] ?? 0) + workers * (m.hoursPerWorker[k] ?? 0);
    return { regular, overtime: overtimeCap(m, k, workers) };
  };
  const describeResource = (r: number, t: number, extra: number): string => {
    const res = p.resources[r]!;
    const { regular, overtime } = capacityOf(r, t);
    const unit = res.unit ? ` ${res.unit}` : '';
    const has =
      overtime > 0
        ? `${formatQty(regular)}${unit} plus ${formatQty(overtime)}${unit} overtime`
        : `${formatQty(regular)}${unit}${p.options.overtime ? ' and no overtime' : ' (overtime is not allowed)'}`;
    const needs = formatQty(loadOn(r, t) + extra);
    const frozenMonth = p.frozen.some((fr) => fr.period === p.periods[t]);
    const crew =
      res.workforce?.hiringFreeze && !frozenMonth
        ? ` (hiring is frozen: ${formatQty(val(m.W[r * T + t]))} workers)`
        : res.workforce?.maxWorkers != null
          ? ` (at most ${formatQty(res.workforce.maxWorkers)} workers)`
          : '';
    const fixed =
      t < (res.leadTime ?? 0)
        ? ` (inside its ${res.leadTime}-month lead time: only what was ordered before the plan arrives)`
        : '';
    const what = res.storage ? `${res.code} must store` : `${res.code} needs`;
    return `${what} ${needs}${unit} in ${p.periods[t]} but has ${has}${crew}${fixed}`;
  };
  /** Resources family f uses that are full in month t. */
  const fullFor = (f: number, t: number, extraUnits: number): string[] => {
    const out: string[] = [];
    m.loadsByResource.forEach((l, r) => {
      const n = Array.from(l.f).indexOf(f);
      if (n < 0) return;
      const { regular, overtime } = capacityOf(r, t);
      if (loadOn(r, t) >= regular + overtime - 1e-4 * Math.max(1, regular))
        out.push(describeResource(r, t, l.a[n]! * extraUnits));
    });
    return out;
  };
  const rules = (f: number): string[] => {
    const fam = p.families[f]!;
    const out: string[] = [];
    if (strategy === 'chase-workforce') {
      // said with the strategy below
    } else if (!p.options.subcontracting || fam.subcontractCost === null)
      out.push('subcontracting is not allowed');
    else if (fam.subcontractLimit !== null)
      out.push(`subcontracting is capped at ${formatQty(fam.subcontractLimit)} units a month`);
    if (strategy === 'chase-workforce')
      out.push('the workforce chase allows no new backlog, no subcontracting and no crew overtime');
    else if (isChase(strategy)) out.push('the chase strategy allows no new backlog');
    else if (p.options.maxBacklog !== null)
      out.push(`backlog is capped at ${formatQty(p.options.maxBacklog)} units`);
    if (!isChase(strategy) && fam.endingBacklogMax !== null)
      out.push(
        `the backlog must be down to ${formatQty(fam.endingBacklogMax)} by ${p.periods[T - 1]}`,
      );
    if (strategy === 'level') out.push('the level strategy keeps production constant');
    return out;
  };
  /** With a shelf life, stock at a month end can only come from the last life−1 months. */
  const freshnessCause = (f: number, t: number): string[] => {
    const life = p.families[f]!.shelfLife?.periods;
    if (life === undefined) return [];
    const from = Math.max(0, t - life + 2);
    return [
      life === 1
        ? `its shelf life of 1 month means no stock can be carried`
        : `with a shelf life of ${life} months only units made in ${p.periods[from]}..${p.periods[t]} can still be in stock`,
    ];
  };
  const frozenCause = (f: number, t: number): string[] => {
    const life = p.families[f]!.shelfLife?.periods ?? 1;
    const out: string[] = [];
    for (let s = Math.max(0, t - life + 1); s <= t; s++) {
      const fix = m.frozen[f * T + s] ?? Number.NaN;
      if (!Number.isNaN(fix))
        out.push(`production in ${p.periods[s]} is frozen at ${formatQty(fix)} units`);
    }
    return out;
  };
  const sentence = (head: string, causes: string[], ruleList: string[]): string => {
    const parts = [...causes, ...ruleList];
    if (parts.length === 0) return `${head}.`;
    const last = parts.pop();
    return `${head}: ${parts.length > 0 ? `${parts.join(', ')}, and ${last}` : last}.`;
  };

  const found: Shortage[] = [];
  p.resources.forEach((res, r) => {
    for (let t = 0; t < T; t++) {
      const k = val(m.K[r * T + t]);
      if (k <= EPS) continue;
      const { regular, overtime } = capacityOf(r, t);
      found.push({
        size: Number.POSITIVE_INFINITY,
        text:
          `Frozen production in ${p.periods[t]} needs ${formatQty(loadOn(r, t))} ${res.unit} on ${res.code}` +
          ` but it has ${formatQty(regular)} ${res.unit}${overtime > 0 ? ` plus ${formatQty(overtime)} ${res.unit} overtime` : ''}:` +
          ' change the frozen plan or add capacity.',
      });
    }
  });
  /** A shortage wherever the elastic column j was used, in the words `say` gives for its size. */
  const report = (
    j: number | undefined,
    say: (size: number) => [head: string, causes: string[], ruleList: string[]],
  ): void => {
    const size = val(j);
    if (size > EPS) found.push({ size, text: sentence(...say(size)) });
  };
  p.families.forEach((fam, f) => {
    const last = p.periods[T - 1];
    for (let t = 0; t < T; t++)
      report(m.U[f * T + t], (u) => [
        `Demand for ${fam.code} in ${p.periods[t]} cannot be met (${formatQty(u)} units short)`,
        fullFor(f, t, u),
        rules(f),
      ]);
    for (let t = 0; t < T; t++)
      report(m.V[f * T + t], (short) => [
        `${fam.code} cannot keep its minimum stock of ${formatQty(m.minStock[f * T + t] ?? 0)} units at the end of ${p.periods[t]} (${formatQty(short)} short)`,
        [...fullFor(f, t, short), ...freshnessCause(f, t)],
        rules(f),
      ]);
    for (let t = 0; t < T; t++)
      report(m.EX[f * T + t], (over) => [
        `${formatQty(over)} units of ${fam.code} would expire at the end of ${p.periods[t]}, and expiry is forbidden (shelf life ${fam.shelfLife?.periods ?? 0} months)`,
        frozenCause(f, t),
        ['allow scrapping (shelfLife.expired: scrap) or lower the frozen or minimum quantities'],
      ]);
    report(m.E[f], (e) => [
      `${fam.code} cannot end ${last} with the required ${formatQty(fam.endingInventoryMin)} units in stock (${formatQty(e)} short)`,
      fullFor(f, T - 1, e),
      rules(f),
    ]);
    report(m.Q[f], (q) => [
      `${fam.code}'s backlog cannot be brought down to ${formatQty(fam.endingBacklogMax ?? 0)} by ${last} (${formatQty(q)} units over)`,
      fullFor(f, T - 1, q),
      rules(f),
    ]);
  });
  if (found.length === 0)
    return ['The requirements contradict each other, but no single demand or target stands out.'];
  found.sort((a, b) => b.size - a.size);
  const shown = found.slice(0, MAX_REASONS).map((s) => s.text);
  if (found.length > MAX_REASONS)
    shown.push(`${found.length - MAX_REASONS} more shortages of the same kind are not listed.`);
  return shown;
}
