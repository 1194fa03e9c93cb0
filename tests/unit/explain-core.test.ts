/**
 * The explanation chains of src/core/explain on hand-made data: every figure is computed
 * here by hand, and the identities (baseline + changes = consensus; demand = the supply
 * parts; load at consensus = planned load + the other responses) hold.
 */
import { describe, expect, it } from 'vitest';
import { computeConsensus } from '../../src/core/consensus.js';
import { describeBaseline } from '../../src/core/explain/baseline.js';
import { explainFamilyMonth, supplyBreakdown, supplyTotal } from '../../src/core/explain/family.js';
import { figuresIn } from '../../src/core/explain/figures.js';
import { explainResourceMonth } from '../../src/core/explain/resource.js';

describe('describeBaseline', () => {
  it('splits a combination into equal weights with each member’s own parameters', () => {
    const why = describeBaseline(
      'comb(ETS(M,Ad,M), theta, damped)',
      {
        'ets.alpha': 0.3,
        'ets.phi': 0.9,
        'theta.alpha': 0.5,
        'theta.drift': 2,
        'damped.alpha': 0.2,
      },
      812.5,
    );
    expect(why.members.map((m) => [m.method, m.weight])).toEqual([
      ['ETS(M,Ad,M)', 1 / 3],
      ['theta', 1 / 3],
      ['damped', 1 / 3],
    ]);
    expect(why.members[0]?.params).toEqual({ alpha: 0.3, phi: 0.9 });
    expect(why.members[1]?.params).toEqual({ alpha: 0.5, drift: 2 });
    expect(why.aicc).toBe(812.5);
    expect(why.why).toContain('lowest AICc');
    // fitted by an earlier version (damped is not one of auto's members now): no rule claimed
    expect(why.why).toMatch(
      /^Combination of ETS\(M,Ad,M\), theta, damped, each with an equal say: /,
    );
  });

  it("gives each of auto's members its own parameters, by the tag it carries", () => {
    const why = describeBaseline(
      'comb(ETS(M,A,M), theta, ARIMA(0,1,1)(0,1,1)[12] on logs, mapa on logs)',
      { 'ets.alpha': 0.3, 'theta.drift': 2, 'arima-log.ma1': -0.4, 'mapa-log.levels': 10 },
      700,
    );
    expect(why.members.map((m) => [m.method, m.weight, m.params])).toEqual([
      ['ETS(M,A,M)', 0.25, { alpha: 0.3 }],
      ['theta', 0.25, { drift: 2 }],
      ['ARIMA(0,1,1)(0,1,1)[12] on logs', 0.25, { ma1: -0.4 }],
      ['mapa on logs', 0.25, { levels: 10 }],
    ]);
    expect(why.why).toMatch(
      /^Median, month by month, of ETS\(M,A,M\), theta, .+ \(the mean of the middle two\): /,
    );
  });

  it('says why a fallback was used', () => {
    expect(describeBaseline('sba', { alpha: 0.1 }, null).why).toContain('intermittent');
    expect(describeBaseline('ETS(A,N,N)', { alpha: 0.4 }, 100).why).toContain('lowest AICc');
    expect(describeBaseline('none', {}, null).why).toContain('no sales history');
  });
});

describe('explainFamilyMonth', () => {
  // Baseline 80; a rep adds +50, another +10% of the baseline (8): consensus 138.
  const consensus = computeConsensus(
    [{ family: 'A', period: '2027-02', value: 80 }],
    [
      {
        id: '1',
        family: 'A',
        period: '2027-02',
        author: 'U_REP',
        authorRole: 'sales',
        kind: 'delta_units',
        value: 50,
        reasonCode: 'promotion',
        comment: 'spring push',
        createdAt: '2027-01-05T10:00:00Z',
      },
      {
        id: '2',
        family: 'A',
        period: '2027-02',
        author: 'U_REP2',
        authorRole: 'sales',
        kind: 'delta_pct',
        value: 10,
        reasonCode: 'market',
        comment: null,
        createdAt: '2027-01-06T10:00:00Z',
      },
    ],
  )[0]!;
  const history = Array.from({ length: 15 }, (_, i) => ({
    period: `2026-${String((i % 12) + 1).padStart(2, '0')}`.replace(
      '2026',
      i < 12 ? '2026' : '2025',
    ),
    units: 100 + i,
  }));
  const e = explainFamilyMonth({
    family: 'A',
    period: '2027-02',
    cycleMonth: '2027-01',
    history,
    model: { method: 'ETS(A,N,N)', params: { alpha: 0.4 }, aicc: 50 },
    baseline: { value: 80, lo80: 70, hi80: 90, lo95: 60, hi95: 100 },
    consensus,
    meta: new Map([
      ['1', { status: 'accepted', zone: 'frozen', createdAt: '' }],
      ['2', { status: 'flagged', zone: 'frozen', createdAt: '' }],
    ]),
    fvaByPerson: {
      U_REP: { adjustments: 2, errorBefore: 30, errorAfter: 20, fva: 10, helped: 1, hurt: 1 },
    },
    fvaByReason: {},
    plan: {
      runId: '7',
      scenario: 'Central',
      lastMonth: false,
      // 90 made, 40 from January's stock, 8 backlogged: 138.
      row: {
        demand: 138,
        production: 90,
        subcontract: 0,
        inventory: 0,
        backlog: 8,
        lostSales: 0,
        revenue: 6500,
        scrapped: 0,
      },
      previous: { inventory: 40, backlog: 0 },
      frozen: false,
      marginalCost: 16,
      marginalCostKind: 'served',
      loads: [{ resource: 'LINE-1', perUnit: 1 }],
      resources: [
        {
          resource: 'LINE-1',
          load: 120,
          capacity: 100,
          overtime: 20,
          overtimeLimit: 20,
          shadowPrice: 6,
          shadowPriceKind: 'exact',
        },
      ],
    },
    scenarios: [],
  });

  it('adds up: baseline + each change = consensus', () => {
    expect(e.steps.map((s) => s.change)).toEqual([50, 8]);
    expect(e.consensus).toBe(138);
    expect(e.checks.chainGap).toBe(0);
    expect(e.steps[1]?.flagged).toBe(true);
    expect(e.steps[0]?.flagged).toBe(false);
    expect(e.steps[0]?.authorFva?.fva).toBe(10);
    expect(e.steps[1]?.authorFva).toBeNull();
  });

  it('splits demand into what the plan did, and finds what binds', () => {
    const s = e.plan!.supply;
    expect([s.production, s.subcontract, s.fromStock, s.backlogged, s.lost]).toEqual([
      90, 0, 40, 8, 0,
    ]);
    expect(supplyTotal(s)).toBe(138);
    expect(e.checks.supplyGap).toBe(0);
    expect(e.plan?.matchesConsensus).toBe(true);
    expect(e.plan?.resources[0]?.state).toBe('full');
    expect(e.plan?.resources[0]?.familyLoad).toBe(90);
    expect(e.plan?.binding).toContain('LINE-1 in 2027-02');
  });

  it('keeps the last 12 months before the cycle and the same month last year', () => {
    expect(e.history).toHaveLength(12);
    expect(e.history.at(-1)?.period).toBe('2026-12');
    expect(e.sameMonthLastYear?.period).toBe('2026-02');
  });
});

describe('supplyBreakdown with a shelf life', () => {
  it('keeps expired stock out of "from stock", so the parts add up to demand', () => {
    // 150 on the shelf, 100 made, 100 sold, 50 expired: 150 + 100 − 100 − 50 = 100 left.
    // From stock: 150 − 100 − 50 = 0 (the 50 expired served no one); 100 + 0 + 0 + 0 = 100.
    const row = {
      demand: 100,
      production: 100,
      subcontract: 0,
      inventory: 100,
      backlog: 0,
      lostSales: 0,
      revenue: 0,
      scrapped: 50,
    };
    const s = supplyBreakdown(row, { inventory: 150, backlog: 0 });
    expect(s).toMatchObject({ fromStock: 0, scrapped: 50 });
    expect(supplyTotal(s)).toBe(100);
  });
});

describe('explainResourceMonth', () => {
  it('accounts for the overload exactly', () => {
    const r = explainResourceMonth({
      resource: 'LINE-1',
      unit: 'h',
      period: '2027-02',
      runId: '7',
      overtimeCost: 4,
      plan: { load: 120, capacity: 100, overtime: 20, overtimeLimit: 20 },
      lastMonth: false,
      baseCapacity: null,
      updates: [],
      families: [
        {
          family: 'A',
          perUnit: 1,
          row: {
            demand: 138,
            production: 90,
            subcontract: 0,
            inventory: 0,
            backlog: 8,
            lostSales: 0,
            revenue: 0,
            scrapped: 0,
          },
          previous: { inventory: 40, backlog: 0 },
          builtIn: ['2027-01'],
        },
        {
          family: 'B',
          perUnit: 0.5,
          row: {
            demand: 60,
            production: 60,
            subcontract: 0,
            inventory: 0,
            backlog: 0,
            lostSales: 0,
            revenue: 0,
            scrapped: 0,
          },
          previous: { inventory: 0, backlog: 0 },
          builtIn: [],
        },
      ],
      shadowPrice: 6,
      shadowPriceKind: 'exact',
      scenarios: [],
    });
    // 138 × 1 + 60 × 0.5 = 168 h at consensus; 68 h over the 100 h.
    expect(r.demandLoad).toBe(168);
    expect(r.overload).toBe(68);
    expect(r.response.overtime).toBe(20);
    expect(r.response.overtimeCost).toBe(80);
    expect(r.response.fromStock).toBe(40);
    expect(r.response.backlogged).toBe(8);
    expect(r.response.stockBuiltIn).toEqual(['2027-01']);
    expect(r.checks.responseGap).toBe(0);
    expect(r.checks.loadGap).toBe(0);
    expect(r.families.map((f) => [f.family, f.load])).toEqual([
      ['A', 90],
      ['B', 30],
    ]);
    expect(r.state).toBe('full');
  });
});

describe('figuresIn', () => {
  const codes = { families: new Set(['FAM-1', 'FAM-12']), resources: new Set(['LINE-1']) };
  it('pairs each code with the months on its line, else of the message, else the cycle month', () => {
    expect(
      figuresIn(
        ['FAM-12 2027-03..2027-04 is up', 'LINE-1 is tense', 'FAM-1 too'],
        codes,
        '2027-01',
      ),
    ).toEqual([
      { code: 'FAM-12', kind: 'family', period: '2027-03' },
      { code: 'FAM-12', kind: 'family', period: '2027-04' },
      { code: 'LINE-1', kind: 'resource', period: '2027-03' },
      { code: 'LINE-1', kind: 'resource', period: '2027-04' },
      { code: 'FAM-1', kind: 'family', period: '2027-03' },
      { code: 'FAM-1', kind: 'family', period: '2027-04' },
    ]);
    expect(figuresIn(['FAM-1 is up'], codes, '2027-01')).toEqual([
      { code: 'FAM-1', kind: 'family', period: '2027-01' },
    ]);
    // FAM-12 is not FAM-1 followed by "2"; FAM-123 names neither.
    expect(figuresIn(['FAM-123 and FAM-12'], codes, '2027-01').map((f) => f.code)).toEqual([
      'FAM-12',
    ]);
  });
});
