/**
 * The trade-off sentences of the vote, the decision modal and log, and the pack: differences
 * name what they are against, a tie reads as a tie, and a reference without stress figures
 * does not leave the others saying "unknown".
 */
import { describe, expect, it } from 'vitest';
import { tradeOffSentences } from '../../src/core/scenarios/trade-off.js';

const centralKpis = {
  expectedMargin: 72_361_136,
  marginP90: 80_000_000,
  serviceAtRisk: 0.927,
  excessInventoryValueP90: 269_000,
  cashFlowP10: 57_000_000,
  budgetCashFlow: 66_900_000,
};
const central = { label: 'Central', kpis: centralKpis };
// By hand, for every sentence below: stock 269,000 → "$269k"; cash at P10 57.0M − budget
// 66.9M = −9.9M → "−$9.9M"; central's fill rate at P10 (service at risk) 92.7%.
const tail = (fills = '92.7%') =>
  `in a bad case (each its own 1 in 10) it leaves $269k of stock beyond 3 months' cover, cash is −$9.9M against budget and it fills ${fills} of demand`;

describe('trade-off sentences', () => {
  it('a copy of central reads "same margin as Central" and "0.0 pts", not "$0 margin" and "+0.0"', () => {
    const [, copy] = tradeOffSentences([central, { label: 'Copy', kpis: centralKpis }]);
    expect(copy).toBe(
      `Copy: margin $80.0M in a good case (1 in 10) and $72.4M expected, the same as Central; ${tail()} (0.0 pts vs Central).`,
    );
  });

  it('names central in the differences, and a service 0.001 pts worse is "0.0 pts", not "−0.0"', () => {
    const worse = {
      label: 'Worse',
      kpis: {
        ...centralKpis,
        // 81,234,567 ("$81.2M") − 80,000,000 ("$80.0M") = +1,234,567 → "+$1.2M";
        // 72,811,136 ("$72.8M") − 72,361,136 ("$72.4M") = +450,000 → "+$450k" (finer than
        // the $0.1M the margins print at, so not rounded to their +$0.4M).
        marginP90: 81_234_567,
        expectedMargin: 72_811_136,
        // 92.699% against 92.7%: −0.001 pts.
        serviceAtRisk: 0.92699,
      },
    };
    expect(tradeOffSentences([central, worse])[1]).toBe(
      `Worse: margin $81.2M in a good case (1 in 10), +$1.2M vs Central $80.0M, and $72.8M expected, +$450k vs Central $72.4M; ${tail()} (0.0 pts vs Central).`,
    );
    // The same good-case (P90) margin, a different expected one; then the other way round.
    // B: 71,361,136 ("$71.4M") − 72,361,136 ("$72.4M") = −1.0M; C: 78.0M − 80.0M = −2.0M.
    const sameUp = { label: 'B', kpis: { ...centralKpis, expectedMargin: 71_361_136 } };
    const sameExpected = { label: 'C', kpis: { ...centralKpis, marginP90: 78_000_000 } };
    expect(tradeOffSentences([central, sameUp, sameExpected]).slice(1)).toEqual([
      `B: margin $80.0M in a good case (1 in 10), the same as Central, and $71.4M expected, −$1.0M vs Central $72.4M; ${tail()} (0.0 pts vs Central).`,
      `C: margin $78.0M in a good case (1 in 10), −$2.0M vs Central $80.0M, and $72.4M expected, the same as Central; ${tail()} (0.0 pts vs Central).`,
    ]);
  });

  it('gives the points between the service figures as printed', () => {
    const a = { label: 'A', kpis: { ...centralKpis, serviceAtRisk: 0.9573 } };
    const b = { label: 'B', kpis: { ...centralKpis, serviceAtRisk: 0.97277 } };
    // 95.7% and 97.3% printed: +1.6 pts (unrounded 1.547 would print +1.5).
    const [first, second] = tradeOffSentences([a, b]);
    expect(first).toContain('it fills 95.7% of demand.');
    expect(second).toContain('it fills 97.3% of demand (+1.6 pts vs A).');
  });

  it('when central has no stress figures, the others state their own and say so', () => {
    const unstressed = { label: 'Central', kpis: { grossMargin: 70_000_000 } };
    const ambitious = {
      label: 'Ambitious',
      kpis: {
        ...centralKpis,
        expectedMargin: 70_942_515,
        marginP90: 75_000_000,
        serviceAtRisk: 0.952,
      },
    };
    // 70,942,515 → "$70.9M"; 75,000,000 → "$75.0M" beside it (one precision); 0.952 → "95.2%".
    expect(tradeOffSentences([unstressed, ambitious])).toEqual([
      null,
      `Ambitious: expected margin $70.9M, $75.0M in a good case (1 in 10); ${tail('95.2%')} (Central has no stress figures to compare with).`,
    ]);
  });

  it('gives money differences between the amounts as printed, as the vote and the pack print them', () => {
    // Plan run 3 of the demo: Central's cash at P10 57,960,116 prints "$58M" in the pack's
    // question 4, the budget 67,117,904 "$67.1M": 58.0 − 67.1 = −9.1 ("−$9.2M" unrounded).
    const c = {
      label: 'Central',
      kpis: {
        ...centralKpis,
        expectedMargin: 73_249_429,
        marginP90: 77_821_808,
        cashFlowP10: 57_960_116,
        budgetCashFlow: 67_117_904,
        cashP10VsBudget: -9_157_788,
      },
    };
    // Plan run 2: Ambitious's expected margin 71,882,315 prints "$71.9M" in the vote's grid
    // beside Central's "$73.2M": 71.9 − 73.2 = −1.3 ("−$1.4M" unrounded). Its good case
    // 77,974,591 ("$78.0M") against 77,821,808 ("$77.8M") is +152,783, written to the $1k
    // ("+$153k"), finer than the amounts' $0.1M, so it stays as it is.
    const a = {
      label: 'Ambitious',
      kpis: { ...c.kpis, expectedMargin: 71_882_315, marginP90: 77_974_591 },
    };
    const [central0, ambitious] = tradeOffSentences([c, a]);
    expect(central0).toContain('cash is −$9.1M against budget');
    expect(ambitious).toMatch(
      /^Ambitious: margin \$78\.0M in a good case \(1 in 10\), \+\$153k vs Central \$77\.8M, and \$71\.9M expected, −\$1\.3M vs Central \$73\.2M;/,
    );
  });

  it('prints the good-case and expected margins each difference is taken from', () => {
    // The demo's Cautious, whose "−$8.3M margin vs Central in a good case" printed no margin
    // in a good case anywhere. Ten demand samples of each plan's margin, in $M, sorted:
    const centralSamples = [66.0, 68.0, 70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 77.0, 78.0];
    const cautiousSamples = [62.0, 63.5, 64.0, 65.0, 66.0, 67.0, 68.0, 68.5, 68.8, 70.0];
    // The good case is the P90 (position (n − 1) × 0.9 = 8.1 of the sorted ten, from 0):
    // Central 77.0 + 0.1 × (78.0 − 77.0) = 77.1; Cautious 68.8 + 0.1 × (70.0 − 68.8) = 68.92.
    // Expected, the mean: Central 724.0 / 10 = 72.4; Cautious 662.8 / 10 = 66.28.
    const p90 = (xs: number[]) => xs[8]! + 0.1 * (xs[9]! - xs[8]!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(p90(centralSamples)).toBeCloseTo(77.1, 9);
    expect(p90(cautiousSamples)).toBeCloseTo(68.92, 9);
    expect(mean(centralSamples)).toBeCloseTo(72.4, 9);
    expect(mean(cautiousSamples)).toBeCloseTo(66.28, 9);
    const kpis = (p90M: number, meanM: number) => ({
      ...centralKpis,
      marginP90: p90M * 1e6,
      expectedMargin: meanM * 1e6,
    });
    const [, cautious] = tradeOffSentences([
      { label: 'Central', kpis: kpis(77.1, 72.4) },
      { label: 'Cautious', kpis: kpis(68.92, 66.28) },
    ]);
    // Printed: $68.9M against $77.1M in a good case, 68.9 − 77.1 = −8.2; $66.3M against
    // $72.4M expected, 66.3 − 72.4 = −6.1. Each difference beside the two margins.
    expect(cautious).toBe(
      `Cautious: margin $68.9M in a good case (1 in 10), −$8.2M vs Central $77.1M, and $66.3M expected, −$6.1M vs Central $72.4M; ${tail()} (0.0 pts vs Central).`,
    );
  });

  it('writes the margins it compares at one precision', () => {
    // Central's good case 80,000,000 alone would print "$80M"; beside "$81.2M" it is "$80.0M",
    // and the difference 1.2M; expected 70,000,000 ("$70.0M") and 71,000,000 ("$71.0M"): +1.0M.
    const c = { label: 'Central', kpis: { ...centralKpis, expectedMargin: 70_000_000 } };
    const x = {
      label: 'X',
      kpis: { ...centralKpis, marginP90: 81_200_000, expectedMargin: 71_000_000 },
    };
    expect(tradeOffSentences([c, x])[1]).toMatch(
      /^X: margin \$81\.2M in a good case \(1 in 10\), \+\$1\.2M vs Central \$80\.0M, and \$71\.0M expected, \+\$1\.0M vs Central \$70\.0M;/,
    );
  });

  it("writes a sentence's amounts at one precision, as the cash chart writes the same gap", () => {
    // The demo's 2027-02 Ambitious: cash 67.4M in a bad case against budget 80.4M, −13.0M,
    // which the cash chart prints "−$13.0M" beside "−$6.3M"; here beside "−$1.4M" and "$845k"
    // it is "−$13.0M" too, not "−$13M". Margins 71.5M vs 72.9M: −$1.4M expected.
    const kpis = (margin: number, up: number, cash: number) => ({
      expectedMargin: margin,
      marginP90: up,
      serviceAtRisk: 0.952,
      excessInventoryValueP90: 845_000,
      cashFlowP10: cash,
      budgetCashFlow: 80_400_000,
    });
    const [, ambitious] = tradeOffSentences([
      { label: 'Central', kpis: kpis(72_900_000, 77_400_000, 71_500_000) },
      { label: 'Ambitious', kpis: kpis(71_500_000, 77_000_000, 67_400_000) },
    ]);
    expect(ambitious).toContain('and $71.5M expected, −$1.4M vs Central $72.9M');
    expect(ambitious).toContain('cash is −$13.0M against budget');
  });
});
