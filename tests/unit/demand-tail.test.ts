/**
 * Each bad-case figure of the trade-off sentence is its own 1 in 10: which way demand runs in
 * it is decided from the samples (`demandTail`), and the sentence says it, or says "each its
 * own 1 in 10" where the samples show no direction, never one bad outcome of all three.
 */
import { describe, expect, it } from 'vitest';
import { tradeOffSentences } from '../../src/core/scenarios/trade-off.js';
import { demandTailsOf, type StressSamples } from '../../src/core/stress/index.js';
import { demandTail } from '../../src/core/stress/tails.js';
import { parsePlanProblem } from '../../src/core/supply/problem.js';

/** Sample s (0..n−1) has demand s: the median of 200 samples is 99.5. */
const demandOf = (n: number) => Array.from({ length: n }, (_, s) => s);

describe('which way demand runs in a figure’s bad tenth', () => {
  it('stock left when demand is low, cash short when demand is low, fill rate low when it is high', () => {
    const demand = demandOf(200);
    // Stock 199 − s: its P90 is 179.1 (0.9 × 199), so the bad tenth is stock 180..199, the
    // samples 0..19, every one below the median demand 99.5: low.
    expect(
      demandTail(
        demand.map((s) => 199 - s),
        demand,
        'high',
      ),
    ).toBe(-1);
    // Cash s: its P10 is 19.9, the bad tenth samples 0..19: low.
    expect(demandTail(demand, demand, 'low')).toBe(-1);
    // Fill rate 1 − s/1000: its P10 is 0.8009, the bad tenth samples 180..199: high.
    expect(
      demandTail(
        demand.map((s) => 1 - s / 1000),
        demand,
        'low',
      ),
    ).toBe(1);
  });

  it('3 in 4 of the bad tenth on one side names it; fewer does not', () => {
    const demand = demandOf(200);
    // The 20 worst stocks (1 each, the rest 0; P90 of 180 zeros and 20 ones is 1, the median
    // 0) are the samples 0..14 (below the median) and 185..189 (above): 15 in 20 = 3 in 4.
    const stock = (low: number) =>
      demand.map((s) => (s < low || (s >= 185 && s < 185 + (20 - low)) ? 1 : 0));
    expect(demandTail(stock(15), demand, 'high')).toBe(-1);
    // 14 below and 6 above: 7 in 10, not 3 in 4.
    expect(demandTail(stock(14), demand, 'high')).toBe(0);
  });

  it('no direction without a tail, or with too few samples to tell', () => {
    const demand = demandOf(200);
    // Stock nil in every sample: its P90 is its median.
    expect(
      demandTail(
        demand.map(() => 0),
        demand,
        'high',
      ),
    ).toBe(0);
    // Cash that follows the parity of the sample, not its demand: its P10 is 0, so the bad
    // tenth is the 100 even samples, 50 below the median demand and 50 above.
    expect(
      demandTail(
        demand.map((s) => s % 2),
        demand,
        'low',
      ),
    ).toBe(0);
    // 100 samples: the bad tenth holds 10, fewer than the 20 that can name a direction.
    const few = demandOf(100);
    expect(demandTail(few, few, 'low')).toBe(0);
  });
});

describe('a scenario’s figures against its samples', () => {
  /*
   * Two families, two months, 200 samples. Sample s: family A (price $10) demands s units a
   * month, family B (price $1) 1 000 − 5s: s's demand is worth 1 000 + 5s a month, rising with
   * s, though its units (1 000 − 4s) fall. Stock s and fill rate 1 − s/1 000 are worst at the
   * highest s: high demand, by value. Cash is s in January and −10s in February: to January it
   * is worst at the lowest s (low demand), over both months (−9s) at the highest.
   */
  const periods = ['2027-01', '2027-02'];
  const p = parsePlanProblem({
    periods,
    families: [
      { code: 'A', price: 10, unitCost: 1, holdingCost: 0, backlogCost: 1 },
      { code: 'B', price: 1, unitCost: 1, holdingCost: 0, backlogCost: 1 },
    ],
    demand: periods.flatMap((period) => [
      { family: 'A', period, units: 100 },
      { family: 'B', period, units: 500 },
    ]),
    resources: [{ code: 'L', capacity: 1000 }],
    loads: [
      { family: 'A', resource: 'L', perUnit: 1 },
      { family: 'B', resource: 'L', perUnit: 1 },
    ],
  });
  const S = 200;
  // At (s·F + f)·T + t.
  const demand = Float64Array.from({ length: S * 4 }, (_, i) => {
    const s = Math.floor(i / 4);
    return Math.floor(i / 2) % 2 === 0 ? s : 1000 - 5 * s;
  });
  const x = {
    samples: S,
    excessInventoryValue: Float64Array.from({ length: S }, (_, s) => s),
    fillRate: Float64Array.from({ length: S }, (_, s) => 1 - s / 1000),
    cashByMonth: Float64Array.from({ length: S * 2 }, (_, i) =>
      i % 2 === 0 ? i / 2 : -10 * ((i - 1) / 2),
    ),
  } as unknown as StressSamples;

  it('values demand at the prices, and reads the cash to the budget’s last month', () => {
    expect(demandTailsOf(p, demand, x, 1)).toEqual({ excessStock: 1, cash: -1, fillRate: 1 });
    expect(demandTailsOf(p, demand, x, 2)).toEqual({ excessStock: 1, cash: 1, fillRate: 1 });
  });

  it('counts units when a family has no price, not that family as $0', () => {
    /*
     * B without a price: by A's price alone (B at $0) sample s's demand would be worth 10s a
     * month, rising with s, so the stock's and the fill rate's bad cases (highest s) would
     * read high. In units, s + 1 000 − 5s = 1 000 − 4s a month, falling with s: low. The cash
     * to January is worst at the lowest s, whose units are the highest: high.
     */
    const unpriced = parsePlanProblem({
      periods,
      families: [
        { code: 'A', price: 10, unitCost: 1, holdingCost: 0, backlogCost: 1 },
        { code: 'B', unitCost: 1, holdingCost: 0, backlogCost: 1 },
      ],
      demand: periods.flatMap((period) => [
        { family: 'A', period, units: 100 },
        { family: 'B', period, units: 500 },
      ]),
      resources: [{ code: 'L', capacity: 1000 }],
      loads: [
        { family: 'A', resource: 'L', perUnit: 1 },
        { family: 'B', resource: 'L', perUnit: 1 },
      ],
    });
    expect(demandTailsOf(unpriced, demand, x, 1)).toEqual({
      excessStock: -1,
      cash: 1,
      fillRate: -1,
    });
  });
});

describe('the trade-off sentence says which way demand runs in each bad-case figure', () => {
  // By hand: stock 940,000 → "$940k"; cash at P10 79.063M − budget 85.7M = −6.637M → "−$6.6M";
  // fill rate at P10 0.9272 → "92.7%".
  const kpis = {
    expectedMargin: 72_361_136,
    serviceAtRisk: 0.9272,
    excessInventoryValueP90: 940_000,
    writtenOffValue: 10_000,
    cashFlowP10: 79_063_000,
    budgetCashFlow: 85_700_000,
  };

  it('low demand leaves the stock and the short cash, each its own 1 in 10; high demand the low fill rate', () => {
    expect(
      tradeOffSentences([
        {
          label: 'Central',
          kpis: { ...kpis, excessStockDemandTail: -1, cashDemandTail: -1, fillRateDemandTail: 1 },
        },
      ]),
    ).toEqual([
      "Central: expected margin $72.4M; if demand runs low (each its own 1 in 10) it leaves $940k of stock beyond 3 months' cover or past its shelf life and cash is −$6.6M against budget; if it runs high (1 in 10) it fills 92.7% of demand.",
    ]);
  });

  it('a figure tied to neither is its own 1 in 10, the others grouped as they come, each its own 1 in 10', () => {
    // The stock and the fill rate both run low, but from different samples: the sentence
    // must not read as one outcome that leaves $940k of stock and fills 92.7% of demand.
    expect(
      tradeOffSentences([
        {
          label: 'Central',
          kpis: { ...kpis, excessStockDemandTail: -1, cashDemandTail: 0, fillRateDemandTail: -1 },
        },
      ]),
    ).toEqual([
      "Central: expected margin $72.4M; if demand runs low (each its own 1 in 10) it leaves $940k of stock beyond 3 months' cover or past its shelf life and fills 92.7% of demand; in a bad case (1 in 10) cash is −$6.6M against budget.",
    ]);
  });

  it('a run stored before the direction was kept: each its own 1 in 10, no direction', () => {
    expect(tradeOffSentences([{ label: 'Central', kpis }])).toEqual([
      "Central: expected margin $72.4M; in a bad case (each its own 1 in 10) it leaves $940k of stock beyond 3 months' cover or past its shelf life, cash is −$6.6M against budget and it fills 92.7% of demand.",
    ]);
  });
});
