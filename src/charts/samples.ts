/**
 * Realistic sample inputs for the five charts, used by the tests, the renderer's warm-up,
 * bench/charts and the README images. Deterministic.
 */
import { addMonths, nextPeriods, type Period } from '../core/period.js';
import type { AccuracyPoint, CashSeries, FamilySeries, GapPoint, ScenarioKpis } from './types.js';

export function sampleGap(resources = 20, months = 24): GapPoint[] {
  const periods = nextPeriods('2027-01', months);
  const out: GapPoint[] = [];
  for (let r = 0; r < resources; r++) {
    const cap = 800 + ((r * 137) % 900);
    periods.forEach((p, k) => {
      const season = 1 + 0.25 * Math.cos((2 * Math.PI * (k - (r % 12))) / 12);
      const load = cap * (0.62 + (r % 7) * 0.045) * season;
      out.push({
        resource: r === resources - 1 ? 'CREW-1' : `LINE-${r + 1}`,
        period: p,
        load,
        capacity: cap,
        overtimeLimit: cap * 0.12,
      });
    });
  }
  return out;
}

export function sampleFamily(): FamilySeries {
  const hist = nextPeriods('2024-01', 36).map((p, k) => ({
    period: p,
    units: Math.round(
      1000 * (1 + 0.01 * k) * (1 + 0.3 * Math.cos((2 * Math.PI * (k - 6)) / 12)) +
        60 * Math.sin(k * 1.7),
    ),
  }));
  const baseline = nextPeriods('2027-01', 18).map((p, k) => {
    const v = Math.round(
      1000 * (1 + 0.01 * (36 + k)) * (1 + 0.3 * Math.cos((2 * Math.PI * (k - 6)) / 12)),
    );
    const w = 0.06 * v * Math.sqrt(k + 1);
    return {
      period: p,
      value: v,
      lo80: v - 1.28 * w,
      hi80: v + 1.28 * w,
      lo95: v - 1.96 * w,
      hi95: v + 1.96 * w,
    };
  });
  const adjustments = ['2027-05', '2027-06', '2027-07'].map((p) => {
    const b = baseline.find((x) => x.period === p)!.value;
    return {
      period: p,
      author: 'Rita',
      reasonCode: 'promotion',
      before: b,
      after: Math.round(b * 1.15),
    };
  });
  const consensus = baseline.map((b) => ({
    period: b.period,
    value: adjustments.find((a) => a.period === b.period)?.after ?? b.value,
  }));
  return { family: 'FAM-1', history: hist, baseline, consensus, adjustments };
}

export function sampleScenarios(): ScenarioKpis[] {
  return [
    {
      scenario: 'central',
      label: 'Central',
      fillRate: 0.962,
      endingInventoryValue: 1_840_000,
      daysOfSupply: 31,
      grossMargin: 5_120_000,
      revenue: 14_900_000,
      peakUtilisation: 1.08,
      monthsOver90: 14,
      stress: {
        fillRate: { expected: 0.951, p10: 0.902, p90: 0.986 },
        margin: { expected: 4_980_000, p10: 4_310_000, p90: 5_520_000 },
        cashFlow: { expected: 2_900_000, p10: 2_250_000, p90: 3_420_000 },
        excessInventoryValue: { expected: 310_000, p10: 90_000, p90: 640_000 },
      },
    },
    {
      scenario: 'cautious',
      label: 'Cautious',
      fillRate: 0.981,
      endingInventoryValue: 1_520_000,
      daysOfSupply: 28,
      grossMargin: 4_610_000,
      revenue: 13_400_000,
      peakUtilisation: 0.94,
      monthsOver90: 5,
      stress: {
        fillRate: { expected: 0.912, p10: 0.846, p90: 0.961 },
        margin: { expected: 4_720_000, p10: 4_290_000, p90: 5_010_000 },
        cashFlow: { expected: 3_150_000, p10: 2_700_000, p90: 3_480_000 },
        excessInventoryValue: { expected: 120_000, p10: 20_000, p90: 290_000 },
      },
    },
    {
      scenario: 'ambitious',
      label: 'Ambitious',
      fillRate: 0.918,
      endingInventoryValue: 2_210_000,
      daysOfSupply: 35,
      grossMargin: 5_690_000,
      revenue: 17_100_000,
      peakUtilisation: 1.21,
      monthsOver90: 27,
      stress: {
        fillRate: { expected: 0.968, p10: 0.931, p90: 0.992 },
        margin: { expected: 5_160_000, p10: 3_980_000, p90: 6_240_000 },
        cashFlow: { expected: 2_300_000, p10: 1_180_000, p90: 3_310_000 },
        excessInventoryValue: { expected: 820_000, p10: 260_000, p90: 1_650_000 },
      },
    },
  ];
}

/** Cumulative cash of the three sample scenarios over 12 months, and the budget's. */
export function sampleCash(): {
  series: CashSeries[];
  budget: { period: Period; cumulative: number }[];
} {
  const months = nextPeriods('2027-01', 12);
  const line = (start: number, slope: number, spread: number) => {
    let run = 0;
    return months.map((period, k) => {
      run += k === 0 ? start : slope * (1 + 0.15 * Math.sin(k / 2));
      return { period, cumulative: run, cumulativeP10: run - spread * Math.sqrt(k + 1) };
    });
  };
  return {
    series: [
      { scenario: 'central', label: 'Central', points: line(-150_000, 260_000, 120_000) },
      { scenario: 'cautious', label: 'Cautious', points: line(-50_000, 270_000, 90_000) },
      { scenario: 'ambitious', label: 'Ambitious', points: line(-600_000, 250_000, 220_000) },
    ],
    budget: months.map((period, k) => ({ period, cumulative: -100_000 + 265_000 * k })),
  };
}

export function sampleAccuracy(): AccuracyPoint[] {
  return nextPeriods(addMonths('2027-01', -9), 9).map((c, k) => ({
    cycle: c,
    period: addMonths(c, 1),
    accuracy: 0.78 + 0.012 * k - (k === 4 ? 0.04 : 0),
    bias: 0.06 - 0.009 * k,
    fva: -0.02 + 0.006 * k,
  }));
}
