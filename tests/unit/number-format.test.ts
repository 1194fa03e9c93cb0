/**
 * One money formatter for charts, the vote message and the trade-off sentences: the unit is
 * chosen after rounding, and a value that rounds to zero has no minus sign.
 */
import { describe, expect, it } from 'vitest';
import { formatMoney as chartsMoney } from '../../src/charts/format.js';
import {
  fmtPct,
  fmtQty,
  formatMoney,
  formatMoneyBetween,
  formatPoints,
  formatPointsBetween,
  moneyAlike,
} from '../../src/core/number-format.js';
import { tradeOffSentences } from '../../src/core/scenarios/trade-off.js';

describe('formatMoney', () => {
  it('picks the unit after rounding, with one decimal below 100 of a unit', () => {
    // 999,600 / 1e6 = 0.9996 → 1.0 → "$1M" (not 999.6k → "$1000k").
    expect(formatMoney(999_600)).toBe('$1M');
    // 999,400 / 1e3 = 999.4 → "$999k" (below the 999,500 that rounds to 1.0M).
    expect(formatMoney(999_400)).toBe('$999k');
    // 999,999,999 / 1e9 = 0.999999999 → 1.0 → "$1B" (not "$1000.0M").
    expect(formatMoney(999_999_999)).toBe('$1B');
    // 999.6 → 0.9996k → "$1k"; 99,960 → 99.96k → 100.0 → "$100k".
    expect(formatMoney(999.6)).toBe('$1k');
    expect(formatMoney(99_960)).toBe('$100k');
    // 1,234 → 1.234k → "$1.2k"; 84,500 → "$84.5k"; 12,345,678 → 12.35M → "$12.3M".
    expect(formatMoney(1_234)).toBe('$1.2k');
    expect(formatMoney(84_500)).toBe('$84.5k');
    expect(formatMoney(12_345_678)).toBe('$12.3M');
    expect(formatMoney(950)).toBe('$950');
  });

  it('signs: minus for losses, + on request, none for a value that rounds to zero', () => {
    expect(formatMoney(-400)).toBe('−$400');
    expect(formatMoney(1_500, '$', true)).toBe('+$1.5k');
    // −0.4 rounds to 0 dollars: "$0", not "−$0".
    expect(formatMoney(-0.4)).toBe('$0');
    expect(formatMoney(-0.4, '$', true)).toBe('$0');
    expect(formatMoney(Number.NaN)).toBe('n/a');
  });

  it('is the one the charts use', () => {
    expect(chartsMoney).toBe(formatMoney);
  });
});

describe('formatMoneyBetween', () => {
  it('subtracts the amounts as printed when the change is written no finer than they are', () => {
    // Plan run 2 of the demo: Ambitious 71,882,315 prints "$71.9M", Central 73,249,429
    // "$73.2M": 71.9 − 73.2 = −1.3 (the unrounded −1,367,114 would print "−$1.4M").
    expect(formatMoneyBetween(71_882_315, 73_249_429)).toBe('−$1.3M');
    // Cash at P10 57,960,116 prints "$58M" (57.96 → 58.0), the budget 67,117,904 "$67.1M":
    // 58.0 − 67.1 = −9.1 (unrounded −9,157,788 → "−$9.2M").
    expect(formatMoneyBetween(57_960_116, 67_117_904)).toBe('−$9.1M');
    // 74,962,000 prints "$75M" (75.0), 73,931,000 "$73.9M": +1.1 (unrounded +1,031,000 → "+$1M").
    expect(formatMoneyBetween(74_962_000, 73_931_000)).toBe('+$1.1M');
    // Across units: $950 and $1.2M printed: 950 − 1,200,000 = −1,199,050 → "−$1.2M".
    expect(formatMoneyBetween(950, 1_234_000)).toBe('−$1.2M');
    // Equal amounts: "$0", no sign.
    expect(formatMoneyBetween(73_240_000, 73_240_000)).toBe('$0');
  });

  it('keeps the unrounded change when it is written finer than the amounts', () => {
    // 73,622,000 and 73,232,000 print "$73.6M" and "$73.2M"; +390,000 is written to the $1k,
    // finer than their $0.1M, and lies within what they allow: "+$390k", not "+$400k".
    expect(formatMoneyBetween(73_622_000, 73_232_000)).toBe('+$390k');
    // 130,000,000 and 129,667,098 both print "$130M": +332,902 → "+$333k".
    expect(formatMoneyBetween(130_000_000, 129_667_098)).toBe('+$333k');
    // 133,200,000 "$133M" and 130,000,000 "$130M": +3.2M is finer than their $1M steps.
    expect(formatMoneyBetween(133_200_000, 130_000_000)).toBe('+$3.2M');
    // Both print "$73.2M"; 30,000 apart, written to the $1k: "+$30k".
    expect(formatMoneyBetween(73_240_000, 73_210_000)).toBe('+$30k');
  });
});

describe('formatPointsBetween', () => {
  it('subtracts the percentages as printed, so the figures beside it add up', () => {
    // 97.277% → "97.3%", 95.730% → "95.7%": 97.3 − 95.7 = 1.6 (unrounded 1.547 → "1.5").
    expect(formatPointsBetween(0.97277, 0.9573)).toBe('+1.6 pts');
    // 95.649% → "95.6%", 95.651% → "95.7%": −0.1, though they are 0.002 points apart.
    expect(formatPointsBetween(0.95649, 0.95651)).toBe('−0.1 pts');
    // Both print "92.7%": no sign.
    expect(formatPointsBetween(0.92699, 0.927)).toBe('0.0 pts');
  });
});

describe('fmtQty and fmtPct (messages and the pack)', () => {
  it('round to zero without a sign', () => {
    expect(fmtQty(-1234.6)).toBe('-1,235');
    expect(fmtQty(-0.3)).toBe('0');
    // 0.0123 → 1.23% → "1.2%"; −0.00009 → −0.009% → "0.0%", not "-0.0%".
    expect(fmtPct(0.0123)).toBe('1.2%');
    expect(fmtPct(0.0123, true)).toBe('+1.2%');
    expect(fmtPct(-0.0123, true)).toBe('-1.2%');
    expect(fmtPct(-0.00009, true)).toBe('0.0%');
    expect(fmtPct(0, true)).toBe('0.0%');
    expect(fmtPct(null)).toBe('n/a');
  });

  it('print a figure that is not a number as "n/a", never as 0', () => {
    // Math.round(NaN) || 0 is 0: a NaN read "0", a figure nobody has.
    expect(fmtQty(Number.NaN)).toBe('n/a');
    expect(fmtPct(Number.NaN)).toBe('n/a');
    expect(fmtPct(Number.NaN, true)).toBe('n/a');
    expect(formatPoints(Number.NaN)).toBe('n/a');
    // Numbers still read as before: 0.4 rounds to 0, 999.5 to 1,000.
    expect(fmtQty(0.4)).toBe('0');
    expect(fmtQty(999.5)).toBe('1,000');
  });
});

describe('trade-off sentences', () => {
  it('read money the way the charts do: "$1M", not "$1000k"; "$0", not "−$0"', () => {
    const central = {
      label: 'Central',
      kpis: {
        expectedMargin: 999_600,
        marginP90: 2_000_000,
        serviceAtRisk: 0.9,
        excessInventoryValueP90: 999_999_999,
      },
    };
    const ambitious = {
      label: 'Ambitious',
      kpis: {
        expectedMargin: 1_084_100,
        marginP90: 2_001_234,
        serviceAtRisk: 0.9,
        excessInventoryValueP90: 999_400,
        cashFlowP10: 500_000,
        budgetCashFlow: 500_000.4,
      },
    };
    // By hand: central margin 999,600 → $1M; its stock 999,999,999 → $1B. Ambitious: P90
    // margin 2,001,234 − 2,000,000 = +1,234 → +$1.2k; expected 1,084,100 − 999,600 = +84,500
    // → +$84.5k; stock 999,400 → $999k; cash 500,000 − 500,000.4 = −0.4 → $0. Beside the
    // differences the margins, at the sentence's precision: $2.0M and $2.0M, $1.1M and $1.0M.
    expect(tradeOffSentences([central, ambitious])).toEqual([
      "Central: expected margin $1M; in a bad case (each its own 1 in 10) it leaves $1B of stock beyond 3 months' cover and fills 90.0% of demand.",
      "Ambitious: margin $2.0M in a good case (1 in 10), +$1.2k vs Central $2.0M, and $1.1M expected, +$84.5k vs Central $1.0M; in a bad case (each its own 1 in 10) it leaves $999k of stock beyond 3 months' cover, cash is $0 against budget and it fills 90.0% of demand (0.0 pts vs Central).",
    ]);
  });
});

describe('moneyAlike', () => {
  it('gives amounts read together one precision when one of them shows tenths', () => {
    // The demo's cash line: 85.7 and 80 million, a gap of 894 thousand and 6.6 million.
    expect(moneyAlike(['$85.7M', '$80M', '−$894k', '−$6.6M', '$86.6M'])).toEqual([
      '$85.7M',
      '$80.0M',
      '−$894k',
      '−$6.6M',
      '$86.6M',
    ]);
    // The vote's fields and the review's stock line.
    expect(moneyAlike(['$15M', '$15.3M'])).toEqual(['$15.0M', '$15.3M']);
    expect(moneyAlike(['+$2M', '$15.2M', '+$4.5M'])).toEqual(['+$2.0M', '$15.2M', '+$4.5M']);
    expect(moneyAlike(['$2M', '$1.9M'])).toEqual(['$2.0M', '$1.9M']);
  });

  it('leaves a set without tenths, and amounts that have none at any precision', () => {
    expect(moneyAlike(['$80M', '$75M'])).toEqual(['$80M', '$75M']);
    // $850 and $894k have no tenths; $0 is nothing.
    expect(moneyAlike(['$1.9k', '$850', '$0', '$894k'])).toEqual(['$1.9k', '$850', '$0', '$894k']);
  });

  it('writes as formatMoney does for the pack, the vote and the charts, a ".0" added', () => {
    // 80,000,000 → "$80M"; beside 85,700,000 ("$85.7M"), "$80.0M".
    expect(moneyAlike([formatMoney(85_700_000), formatMoney(80_000_000)])).toEqual([
      '$85.7M',
      '$80.0M',
    ]);
  });
});
