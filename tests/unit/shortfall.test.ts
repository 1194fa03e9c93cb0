import { describe, expect, it } from 'vitest';
import {
  type FamilyShortfall,
  familyShortfalls,
  type PlanFamilyMonth,
  shortfallLine,
} from '../../src/core/shortfall.js';

const M = ['2027-01', '2027-02', '2027-03'];
const rows = (
  code: string,
  demand: number,
  lost: readonly number[],
  backlog: readonly number[] = [0, 0, 0],
): PlanFamilyMonth[] =>
  M.map((period, i) => ({
    code,
    period,
    demand,
    lostSales: lost[i] ?? 0,
    backlog: backlog[i] ?? 0,
  }));

const priced =
  (prices: Record<string, { price: number; unitCost: number; from?: string }>) =>
  (family: string, period: string) => {
    const p = prices[family];
    if (!p) return null;
    // A price cut from `from` on: $1 from that month.
    return p.from && period >= p.from ? { price: 1, unitCost: p.unitCost } : p;
  };

describe('families the plan leaves short', () => {
  it('names a family above 1% of its demand, counting the backlog left at the end', () => {
    const out = familyShortfalls({
      rows: [
        // 3 of 300 lost: exactly 1%, not named.
        ...rows('EDGE', 100, [3, 0, 0]),
        // 1 lost + 3 on backlog at the end = 4 of 300: named.
        ...rows('OWED', 100, [1, 0, 0], [0, 2, 3]),
        // 150 of 300 lost in February and March.
        ...rows('BIG', 100, [0, 50, 100]),
      ],
      priceAndCost: priced({
        EDGE: { price: 9, unitCost: 1 },
        OWED: { price: 9, unitCost: 1 },
        BIG: { price: 9, unitCost: 1 },
      }),
      loads: new Map([
        ['OWED', ['L1']],
        ['BIG', ['L1', 'L2', 'L3']],
      ]),
      // L1 binds in January and March, L2 in March only, L3 in January only (BIG is short in
      // February and March: L3 does not count).
      binding: [
        { resource: 'L1', period: '2027-01' },
        { resource: 'L1', period: '2027-03' },
        { resource: 'L2', period: '2027-03' },
        { resource: 'L3', period: '2027-01' },
      ],
    });
    expect(out.map((s) => s.family)).toEqual(['BIG', 'OWED']);
    expect(out[0]).toEqual({
      family: 'BIG',
      demand: 300,
      lost: 150,
      endBacklog: 0,
      unmet: 150,
      share: 0.5,
      months: ['2027-02', '2027-03'],
      cause: {
        kind: 'capacity',
        resources: [
          { resource: 'L1', months: 1 },
          { resource: 'L2', months: 1 },
        ],
      },
    });
    expect(out[1]).toMatchObject({
      lost: 1,
      endBacklog: 3,
      unmet: 4,
      months: ['2027-01', '2027-02', '2027-03'],
      cause: { kind: 'capacity', resources: [{ resource: 'L1', months: 2 }] },
    });
  });

  it('blames the price before the capacity when it does not cover the unit cost', () => {
    const [s] = familyShortfalls({
      rows: rows('CHEAP', 10, [0, 10, 10]),
      priceAndCost: priced({ CHEAP: { price: 12, unitCost: 5, from: '2027-02' } }),
      loads: new Map([['CHEAP', ['L1']]]),
      binding: [{ resource: 'L1', period: '2027-02' }],
    });
    expect(s?.cause).toEqual({ kind: 'price', period: '2027-02', price: 1, unitCost: 5 });
  });

  it('says when no capacity it uses binds', () => {
    const [s] = familyShortfalls({
      rows: rows('ODD', 10, [10, 0, 0]),
      priceAndCost: priced({ ODD: { price: 12, unitCost: 5 } }),
      loads: new Map([['ODD', ['L1']]]),
      binding: [{ resource: 'L2', period: '2027-01' }],
    });
    expect(s?.cause).toEqual({ kind: 'unknown' });
  });
});

describe('a shortfall as a sentence', () => {
  const base: FamilyShortfall = {
    family: 'FAM-5',
    demand: 641_903,
    lost: 470_234,
    endBacklog: 0,
    unmet: 470_234,
    share: 470_234 / 641_903,
    months: ['2027-01', '2027-02', '2027-03'],
    cause: { kind: 'capacity', resources: [{ resource: 'LINE-1', months: 3 }] },
  };

  it('names the units, the share, the months and the resource that binds', () => {
    expect(shortfallLine(base)).toBe(
      'FAM-5: 470,234 of 641,903 units of demand not met (73.3%) in 3 months, 2027-01–2027-03; capacity binds: LINE-1 in all 3.',
    );
    expect(
      shortfallLine({
        ...base,
        months: ['2027-02'],
        cause: {
          kind: 'capacity',
          resources: [
            { resource: 'LINE-1', months: 1 },
            { resource: 'CREW', months: 1 },
          ],
        },
      }),
    ).toBe(
      'FAM-5: 470,234 of 641,903 units of demand not met (73.3%) in 2027-02; capacity binds: LINE-1, CREW.',
    );
    expect(
      shortfallLine({
        ...base,
        cause: {
          kind: 'capacity',
          resources: [
            { resource: 'A', months: 2 },
            { resource: 'B', months: 1 },
            { resource: 'C', months: 1 },
            { resource: 'D', months: 1 },
          ],
        },
      }),
    ).toBe(
      'FAM-5: 470,234 of 641,903 units of demand not met (73.3%) in 3 months, 2027-01–2027-03; capacity binds: A in 2 of those 3, B in 1, C in 1, and 1 more.',
    );
  });

  it('says how much is still owed at the end', () => {
    expect(shortfallLine({ ...base, lost: 400_000, endBacklog: 70_234 })).toBe(
      'FAM-5: 470,234 of 641,903 units of demand not met (73.3%) in 3 months, 2027-01–2027-03, 70,234 of it still on backlog at the end; capacity binds: LINE-1 in all 3.',
    );
    expect(shortfallLine({ ...base, lost: 0, endBacklog: 470_234 })).toContain(
      '2027-01–2027-03, all of it still on backlog at the end;',
    );
  });

  it('names the price when it does not cover the cost, and points to explain otherwise', () => {
    expect(
      shortfallLine({
        ...base,
        family: 'FAM-0',
        demand: 25_566.6,
        lost: 25_566.6,
        unmet: 25_566.6,
        share: 1,
        cause: { kind: 'price', period: '2027-01', price: 0, unitCost: 12.5 },
      }),
    ).toBe(
      'FAM-0: 25,567 of 25,567 units of demand not met (100.0%) in 3 months, 2027-01–2027-03; its price ($0 in 2027-01) does not cover its unit cost ($12.50), so giving the demand up costs least.',
    );
    expect(shortfallLine({ ...base, cause: { kind: 'unknown' } })).toBe(
      'FAM-5: 470,234 of 641,903 units of demand not met (73.3%) in 3 months, 2027-01–2027-03; no capacity it uses is full in those months: `/sop explain FAM-5 2027-01` shows why.',
    );
  });
});
