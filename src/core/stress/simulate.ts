/**
 * The stress test (docs/plan-format.md, "Stress test"): a scenario's plan played against
 * demand samples, month by month, with stock kept by age.
 *
 * - Months 1..fixedMonths (the frozen and slushy zones) run the plan's production and
 *   subcontracting as planned, whatever demand does.
 * - Later months (the liquid zone) are replanned: production is the plan's, plus last
 *   month's demand above the scenario's planned demand (minus what fell short of it), the
 *   one-for-one correction of a base-stock policy. It never goes below zero, and never above
 *   the larger of the plan's production and the family's share of its resources' capacity
 *   (regular + the overtime the scenario allows, shared in proportion to planned load;
 *   warehouses limit stock, not production, and are left out).
 * - Each month, open backlog and then new demand are served from the oldest stock first,
 *   except the stock the plan itself keeps back while customers wait (a safety stock it
 *   protects, the ending-inventory target in the last month).
 *   What cannot be served waits as backlog up to what the plan itself carried (or without
 *   limit when the problem does not allow lost sales); the rest is lost.
 * - Stock is kept by the month it was made; a family with a shelf life of L months writes off
 *   what is still in stock at the end of its L-th month (opening stock counts as made the
 *   month before the horizon). Stock is valued first in first out, as in planFinance: at the
 *   unit cost of the month it was made or bought in (opening stock at the first month's).
 * - Overtime is the load above a resource's regular capacity at its overtime cost: for a
 *   line, supplier or crew the load is production; for a warehouse (storage) it is the stock
 *   at the month's end, the rented space the LP pays for.
 */

import {
  margin,
  monthlyCash,
  type OpeningPayables,
  type OpeningReceivables,
  stockValueFifo,
} from '../finance.js';
import { type CashSettings, DEFAULT_CASH } from '../scenarios/schema.js';
import { familyCost, type PlanProblem, resourceCost, safetyPenalty } from '../supply/problem.js';
import type { SolvedPlan } from '../supply/solve.js';

export interface StressInput {
  /** The problem as the scenario sees it (its planned demand, prices, capacities, costs). */
  readonly problem: PlanProblem;
  readonly plan: SolvedPlan;
  /** One-off investment cost and the month index it is paid in. */
  readonly investment?: { readonly cost: number; readonly month: number } | null;
  /** Demand the scenario's promotion adds to every sample, in percent. */
  readonly upliftPct?: number;
}

export interface StressOptions {
  /** Months held to the plan (frozen + slushy). */
  readonly fixedMonths: number;
  readonly cash?: CashSettings;
  /** Months of forward demand (the median's last three months) beyond which stock is excess. */
  readonly coverMonths?: number;
  /** Replan the liquid zone (default true); false holds the whole plan fixed. */
  readonly replanLiquid?: boolean;
  /** Invoices open when the horizon began, collected in its first months; null: not counted. */
  readonly opening?: OpeningReceivables | null;
  /** Bills open when the horizon began, paid in its first months; null: not counted. */
  readonly bills?: OpeningPayables | null;
}

/** One figure per sample, plus cash by month per sample. */
export interface StressSamples {
  readonly samples: number;
  readonly fillRate: Float64Array;
  readonly revenue: Float64Array;
  readonly margin: Float64Array;
  readonly cashFlow: Float64Array;
  readonly cashCost: Float64Array;
  readonly penaltyCost: Float64Array;
  readonly endingInventoryValue: Float64Array;
  readonly excessInventoryValue: Float64Array;
  readonly writtenOffValue: Float64Array;
  readonly peakWorkingCapital: Float64Array;
  /** Net cash of sample s in month t at s*T+t. */
  readonly cashByMonth: Float64Array;
  /** Working capital of sample s at the end of month t at s*T+t. */
  readonly workingCapitalByMonth: Float64Array;
}

/**
 * Plays the plan against every demand sample. `demand` holds the world's demand at
 * (s*F+f)*T+t for the problem's families and months (the same for every scenario).
 */
export function stressPlan(
  input: StressInput,
  demand: Float64Array,
  median: Float64Array,
  opts: StressOptions,
): StressSamples {
  const { problem: p, plan } = input;
  const T = p.periods.length;
  const F = p.families.length;
  const S = Math.floor(demand.length / (F * T));
  const cash = opts.cash ?? DEFAULT_CASH;
  const coverMonths = opts.coverMonths ?? cash.coverMonths;
  const fixed = opts.replanLiquid === false ? T : Math.min(T, Math.max(0, opts.fixedMonths));
  const uplift = 1 + (input.upliftPct ?? 0) / 100;

  const planP = new Float64Array(F * T);
  const planS = new Float64Array(F * T);
  const planB = new Float64Array(F * T);
  const planD = new Float64Array(F * T);
  const reserve = new Float64Array(F * T);
  const fIdx = new Map(p.families.map((f, i) => [f.code, i]));
  const tIdx = new Map(p.periods.map((t, i) => [t, i]));
  for (const r of plan.families) {
    const f = fIdx.get(r.family);
    const t = tIdx.get(r.period);
    if (f === undefined || t === undefined) continue;
    const k = f * T + t;
    planP[k] = r.production;
    planS[k] = r.subcontract;
    planB[k] = r.backlog;
    planD[k] = r.demand;
    // Stock the plan keeps back while customers wait (a safety stock or an ending target).
    if (r.backlog > 1e-9) reserve[k] = r.inventory;
  }
  p.families.forEach((fam, f) => {
    const k = f * T + T - 1;
    reserve[k] = Math.max(reserve[k]!, fam.endingInventoryMin);
  });

  // Resources: loads, regular capacity and the most load the scenario allows, per month.
  const R = p.resources.length;
  const rIdx = new Map(p.resources.map((r, i) => [r.code, i]));
  const loadF: number[][] = p.resources.map(() => []);
  const loadA: number[][] = p.resources.map(() => []);
  for (const l of p.loads) {
    const r = rIdx.get(l.resource);
    const f = fIdx.get(l.family);
    if (r === undefined || f === undefined || l.perUnit === 0) continue;
    loadF[r]!.push(f);
    loadA[r]!.push(l.perUnit);
  }
  const regular = new Float64Array(R * T);
  const maxLoad = new Float64Array(R * T);
  for (const x of plan.resources) {
    const r = rIdx.get(x.resource);
    const t = tIdx.get(x.period);
    if (r === undefined || t === undefined) continue;
    regular[r * T + t] = x.capacity;
    maxLoad[r * T + t] = Math.max(x.load, x.capacity + x.overtimeLimit);
  }
  // A warehouse (storage) is loaded by the stock at the month's end, not by production.
  const storage = p.resources.map((res) => res.storage === true);
  // Each family's share of its production resources' allowed load, in units, per month.
  const capShare = new Float64Array(F * T).fill(Infinity);
  for (let r = 0; r < R; r++) {
    if (storage[r]) continue;
    const fs = loadF[r]!;
    const as = loadA[r]!;
    for (let t = 0; t < T; t++) {
      let planned = 0;
      for (let n = 0; n < fs.length; n++) planned += as[n]! * (planD[fs[n]! * T + t] ?? 0);
      for (let n = 0; n < fs.length; n++) {
        const k = fs[n]! * T + t;
        const share = planned > 0 ? (as[n]! * (planD[k] ?? 0)) / planned : 1 / fs.length;
        capShare[k] = Math.min(capShare[k]!, (maxLoad[r * T + t]! * share) / as[n]!);
      }
    }
  }
  // The crew's wages, hiring and layoffs at the month's costs (plan files may give them by
  // month), as the LP charges them.
  const fixedCostByMonth = new Float64Array(T);
  p.resources.forEach((res) => {
    if (!res.workforce) return;
    for (const x of plan.resources) {
      if (x.resource !== res.code) continue;
      const t = tIdx.get(x.period);
      if (t === undefined) continue;
      const c =
        (x.workers ?? 0) * resourceCost(res, 'costPerWorker', x.period) +
        x.hires * resourceCost(res, 'hireCost', x.period) +
        x.layoffs * resourceCost(res, 'layoffCost', x.period);
      fixedCostByMonth[t] = (fixedCostByMonth[t] ?? 0) + c;
    }
  });
  if (input.investment && input.investment.month < T)
    fixedCostByMonth[input.investment.month] =
      (fixedCostByMonth[input.investment.month] ?? 0) + input.investment.cost;

  // The forward demand rate that defines excess: the median's mean of the last 3 months.
  const coverUnits = new Float64Array(F);
  const tail = Math.min(3, T);
  for (let f = 0; f < F; f++) {
    let sum = 0;
    for (let t = T - tail; t < T; t++) sum += (median[f * T + t] ?? 0) * uplift;
    coverUnits[f] = (sum / tail) * coverMonths;
  }
  const { lostSales, maxBacklog } = p.options;
  const first = p.periods[0]!;
  let openingValue = 0;
  for (const fam of p.families)
    openingValue += fam.initialInventory * familyCost(fam, 'unitCost', first);
  // Prices and costs by family and month (plan files may give them by month).
  const price = new Float64Array(F * T);
  const unitCost = new Float64Array(F * T);
  const holdCost = new Float64Array(F * T);
  const backCost = new Float64Array(F * T);
  const subCost = new Float64Array(F * T);
  const lostCost = new Float64Array(F * T);
  p.families.forEach((fam, f) => {
    p.periods.forEach((period, t) => {
      const k = f * T + t;
      price[k] = familyCost(fam, 'price', period);
      unitCost[k] = familyCost(fam, 'unitCost', period);
      holdCost[k] = familyCost(fam, 'holdingCost', period);
      backCost[k] = familyCost(fam, 'backlogCost', period);
      subCost[k] = fam.subcontractCost === null ? 0 : familyCost(fam, 'subcontractCost', period);
      lostCost[k] = familyCost(fam, 'lostSalesCost', period);
    });
  });
  // Each family's unit costs as a row of months, the opening stock's cost, and whether the
  // cost is the same every month (then every unit in stock is worth that one cost).
  const costRow = p.families.map((_, f) => unitCost.subarray(f * T, f * T + T));
  const openCost = Float64Array.from(costRow, (row) => row[0] ?? 0);
  const flatCost = costRow.map((row) => row.every((c) => c === row[0]));
  const otCost = new Float64Array(R * T);
  p.resources.forEach((res, r) => {
    p.periods.forEach((period, t) => {
      otCost[r * T + t] = resourceCost(res, 'overtimeCost', period);
    });
  });

  const out: StressSamples = {
    samples: S,
    fillRate: new Float64Array(S),
    revenue: new Float64Array(S),
    margin: new Float64Array(S),
    cashFlow: new Float64Array(S),
    cashCost: new Float64Array(S),
    penaltyCost: new Float64Array(S),
    endingInventoryValue: new Float64Array(S),
    excessInventoryValue: new Float64Array(S),
    writtenOffValue: new Float64Array(S),
    peakWorkingCapital: new Float64Array(S),
    cashByMonth: new Float64Array(S * T),
    workingCapitalByMonth: new Float64Array(S * T),
  };
  const maxLife = p.families.reduce((m, f) => Math.max(m, f.shelfLife?.periods ?? 1), 1);
  const lifeOf = Int32Array.from(p.families, (f) => f.shelfLife?.periods ?? 0);
  const scrapOf = Float64Array.from(p.families, (f) => f.shelfLife?.scrapCost ?? 0);
  const safetyOf = Float64Array.from(p.families, (f) => f.safetyStock);
  const safetyPenaltyOf = Float64Array.from(p.families, (f) => safetyPenalty(p, f));
  const initialInv = Float64Array.from(p.families, (f) => f.initialInventory);
  const initialBack = Float64Array.from(p.families, (f) => f.initialBacklog);
  // Backlog a month may carry: what the plan carried when sales may be lost, else the cap.
  const backlogCap = new Float64Array(F * T);
  const lostPenalty = new Float64Array(F * T);
  for (let k = 0; k < F * T; k++) {
    backlogCap[k] = lostSales ? planB[k]! : (maxBacklog ?? Infinity);
    lostPenalty[k] = lostSales ? lostCost[k]! : 0;
  }
  const cohorts = new Float64Array(maxLife + 1);
  const prod = new Float64Array(F * T);
  const stockEnd = new Float64Array(F * T);
  const made = new Float64Array(T);
  const revByMonth = new Float64Array(T);
  const costByMonth = new Float64Array(T);
  const invValue = new Float64Array(T);

  for (let s = 0; s < S; s++) {
    revByMonth.fill(0);
    costByMonth.set(fixedCostByMonth);
    invValue.fill(0);
    let demanded = 0;
    let onTime = 0;
    let penalty = 0;
    let endValue = 0;
    let excess = 0;
    let writtenOff = 0;
    for (let f = 0; f < F; f++) {
      const life = lifeOf[f]!;
      const scrapCost = scrapOf[f]!;
      const safety = safetyOf[f]!;
      const flat = flatCost[f]!;
      const costs = costRow[f]!;
      const costOf = (j: number): number => (j < 0 ? openCost[f]! : costs[j]!);
      const L = life > 0 ? life : 1;
      // Without a shelf life the stock is one number; with one, cohorts[a] holds the stock of
      // age a months (a = 0: made this month), and aging comes first each month.
      let inv = initialInv[f]!;
      if (life > 0) {
        cohorts.fill(0);
        cohorts[0] = inv;
      }
      let backlog = initialBack[f]!;
      const base = (s * F + f) * T;
      for (let t = 0; t < T; t++) {
        const k = f * T + t;
        const d = demand[base + t]! * uplift;
        let make = planP[k]!;
        if (t >= fixed && t > 0) {
          const surprise = demand[base + t - 1]! * uplift - planD[k - 1]!;
          const most = make > capShare[k]! ? make : capShare[k]!;
          make = make + surprise < most ? make + surprise : most;
          if (make < 0) make = 0;
        }
        prod[k] = make;
        const bought = planS[k]!;
        made[t] = make + bought;
        const needs = backlog + d;
        let shipped: number;
        let expired = 0;
        let expiredValue = 0;
        if (life === 0) {
          const stock = inv + make + bought;
          const held = stock < reserve[k]! ? stock : reserve[k]!;
          const avail = stock - held;
          shipped = needs < avail ? needs : avail;
          inv = stock - shipped;
        } else {
          for (let a = L; a >= 1; a--) cohorts[a] = cohorts[a - 1]!;
          cohorts[0] = make + bought;
          let stock = 0;
          for (let a = 0; a <= L; a++) stock += cohorts[a]!;
          const held = Math.min(stock, reserve[k]!);
          shipped = Math.min(needs, stock - held);
          let toTake = shipped;
          for (let a = L; a >= 0 && toTake > 0; a--) {
            const take = Math.min(cohorts[a]!, toTake);
            cohorts[a] = cohorts[a]! - take;
            toTake -= take;
          }
          // Stock made L months ago (age L−1 now) expires at this month's end.
          expired = cohorts[L - 1]! + cohorts[L]!;
          // At the cost of the months they were made in (age a: month t − a).
          expiredValue = flat
            ? expired * unitCost[k]!
            : cohorts[L - 1]! * costOf(t - L + 1) + cohorts[L]! * costOf(t - L);
          cohorts[L - 1] = 0;
          cohorts[L] = 0;
          inv = 0;
          for (let a = 0; a < L - 1; a++) inv += cohorts[a]!;
        }
        stockEnd[k] = inv;
        const short = needs - shipped;
        const newBacklog = short < backlogCap[k]! ? short : backlogCap[k]!;
        const lost = short - newBacklog;
        backlog = newBacklog;
        const served = d - lost;
        demanded += d;
        onTime += served - (served < newBacklog ? served : newBacklog);
        revByMonth[t] = revByMonth[t]! + shipped * price[k]!;
        costByMonth[t] =
          costByMonth[t]! +
          make * unitCost[k]! +
          bought * subCost[k]! +
          inv * holdCost[k]! +
          expired * scrapCost;
        invValue[t] =
          invValue[t]! +
          (flat ? inv * unitCost[k]! : stockValueFifo(inv, t, made, costs, openCost[f]!));
        writtenOff += expiredValue;
        penalty += newBacklog * backCost[k]! + lost * lostPenalty[k]!;
        if (inv < safety) penalty += (safety - inv) * safetyPenaltyOf[f]!;
      }
      const kEnd = f * T + T - 1;
      // Stock beyond cover is the newest: what is sold in the cover months is the oldest.
      const over = inv - coverUnits[f]!;
      if (flat) {
        endValue += inv * unitCost[kEnd]!;
        if (over > 0) excess += over * unitCost[kEnd]!;
      } else {
        endValue += stockValueFifo(inv, T - 1, made, costs, openCost[f]!);
        if (over > 0) excess += stockValueFifo(over, T - 1, made, costs, openCost[f]!);
      }
    }
    // Overtime: load above regular capacity, at each resource's overtime cost. A line's load
    // is production; a warehouse's is the stock at the month's end (rented space).
    for (let r = 0; r < R; r++) {
      const fs = loadF[r]!;
      const as = loadA[r]!;
      const by = storage[r] ? stockEnd : prod;
      for (let t = 0; t < T; t++) {
        const c = otCost[r * T + t]!;
        if (c === 0) continue;
        let load = 0;
        for (let n = 0; n < fs.length; n++) load += as[n]! * by[fs[n]! * T + t]!;
        const ot = load - regular[r * T + t]!;
        if (ot > 1e-9) costByMonth[t] = costByMonth[t]! + ot * c;
      }
    }
    const money = monthlyCash(
      revByMonth,
      costByMonth,
      cash.dsoDays,
      cash.dpoDays,
      opts.opening ?? null,
      opts.bills ?? null,
    );
    let rev = 0;
    let cost = 0;
    let net = 0;
    let peak = -Infinity;
    for (let t = 0; t < T; t++) {
      rev += revByMonth[t]!;
      cost += costByMonth[t]!;
      net += money.net[t]!;
      out.cashByMonth[s * T + t] = money.net[t]!;
      const wc = invValue[t]! + money.receivables[t]! - money.payables[t]!;
      out.workingCapitalByMonth[s * T + t] = wc;
      peak = Math.max(peak, wc);
    }
    out.fillRate[s] = demanded > 0 ? onTime / demanded : 1;
    out.revenue[s] = rev;
    out.cashCost[s] = cost;
    out.margin[s] = margin(rev, cost, openingValue, endValue);
    out.cashFlow[s] = net;
    out.penaltyCost[s] = penalty;
    out.endingInventoryValue[s] = endValue;
    out.excessInventoryValue[s] = excess + writtenOff;
    out.writtenOffValue[s] = writtenOff;
    out.peakWorkingCapital[s] = peak;
  }
  return out;
}
