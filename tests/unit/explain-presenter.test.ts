/** The explain presenters: escaping, Slack's limits whatever the size, and the CLI's full text. */
import { describe, expect, it } from 'vitest';
import type {
  FamilyMonthExplanation,
  FamilyPlanExplanation,
} from '../../src/core/explain/family.js';
import { explainResourceMonth } from '../../src/core/explain/resource.js';
import type { Explanation } from '../../src/services/explain.js';
import {
  explainMessage,
  explainPlainText,
  parseFigureValue,
} from '../../src/slack/presenters/explain.js';
import { esc } from '../../src/slack/presenters/format.js';

const COMMENT = '<!channel> <@U1> & <https://x.example|click> *bold*';

function family(steps: number): Explanation {
  const month: FamilyMonthExplanation = {
    family: 'FAM-1',
    period: '2027-03',
    history: [{ period: '2026-12', units: 100 }],
    sameMonthLastYear: null,
    baseline: { value: 100, lo80: 90, hi80: 110, lo95: 80, hi95: 120 },
    model: { method: 'naive', why: 'Too little history.', aicc: null, members: [] },
    steps: Array.from({ length: steps }, (_, i) => ({
      id: String(i),
      author: `U${i}`,
      kind: 'delta_units' as const,
      value: 1,
      before: 100 + i,
      after: 101 + i,
      change: 1,
      reasonCode: 'promo',
      comment: COMMENT,
      role: 'adjustment' as const,
      flagged: i % 2 === 0,
      zone: 'liquid' as const,
      authorFva: null,
      reasonFva: null,
    })),
    superseded: 0,
    consensus: 100 + steps,
    plan: null,
    scenarios: [],
    checks: { chainGap: 0, supplyGap: null },
  };
  return {
    kind: 'family',
    query: { intent: 'explain', code: 'FAM-1', from: '2027-03', to: '2027-03', direction: null },
    family: { id: 1, code: 'FAM-1', name: 'One', unit: 'units' },
    months: [month],
    cycleMonth: '2027-01',
    runId: '9',
    timezone: 'UTC',
    names: {},
  };
}

describe('explain presenters', () => {
  it("who changed: each change's day is the company's day (Tokyo, UTC+9), not UTC's", () => {
    const change = (id: string, createdAt: string) => ({
      id,
      period: '2027-03',
      author: 'U1',
      kind: 'delta_units' as const,
      value: 5,
      before: 100,
      after: 105,
      reasonCode: 'promo',
      comment: null,
      status: 'accepted' as const,
      zone: 'liquid' as const,
      createdAt,
    });
    const e: Explanation = {
      kind: 'changes',
      query: { intent: 'who', code: 'FAM-1', from: null, to: null, direction: null },
      family: { id: 1, code: 'FAM-1', name: 'One', unit: 'units' },
      // 20:30 UTC on the 12th is 05:30 on the 13th in Tokyo; 14:59 UTC is 23:59 the same day.
      changes: [change('1', '2027-01-12T20:30:00.000Z'), change('2', '2027-01-12T14:59:00.000Z')],
      cycleMonth: '2027-01',
      runId: null,
      timezone: 'Asia/Tokyo',
      names: { U1: 'Rita Rep' },
    };
    const lines = explainPlainText(e)
      .split('\n')
      .filter((l) => l.includes('promo'));
    expect(lines.map((l) => l.split(' · ').at(-1))).toEqual(['2027-01-13', '2027-01-12']);
  });

  it('a resource the solver fills to its capacity is at capacity, not "-0 spare"', () => {
    const base = family(0) as Extract<Explanation, { kind: 'family' }>;
    const month = base.months[0]!;
    const crew = (load: number) => ({
      resource: 'CREW-1',
      perUnit: 1,
      familyLoad: 130,
      load,
      capacity: 6341.05570688,
      overtime: 0,
      overtimeLimit: 1200,
      shadowPrice: 25.23,
      shadowPriceKind: 'exact' as const,
      state: 'spare' as const,
    });
    const withPlan = (load: number): Explanation => ({
      ...base,
      months: [
        {
          ...month,
          plan: {
            runId: '9',
            scenario: 'central',
            supply: {
              demand: 100,
              production: 100,
              subcontract: 0,
              fromStock: 0,
              scrapped: 0,
              backlogged: 0,
              lost: 0,
              closingInventory: 0,
              closingBacklog: 0,
            },
            matchesConsensus: true,
            frozen: false,
            marginalCost: null,
            marginalCostKind: null,
            lastMonth: false,
            resources: [crew(load)],
            binding: null,
          },
        },
      ],
    });
    // HiGHS's figures for the demo's crew: 8e-8 hours over its capacity.
    const full = JSON.stringify(explainMessage(withPlan(6341.05570696)).blocks);
    expect(full).toContain('capacity 6,341, at capacity;');
    expect(full).not.toContain('spare');
    // 41 hours under capacity: 6,341.06 − 6,300 = 41.06, shown as 41.
    expect(JSON.stringify(explainMessage(withPlan(6300)).blocks)).toContain('41 spare');
    // A month that scraps expired stock says so, beside the identity it keeps.
    const p = withPlan(6300) as Extract<Explanation, { kind: 'family' }>;
    const m = p.months[0]!;
    const scrapping: Explanation = {
      ...p,
      months: [{ ...m, plan: { ...m.plan!, supply: { ...m.plan!.supply, scrapped: 50 } } }],
    };
    expect(JSON.stringify(explainMessage(scrapping).blocks)).toContain(
      '50 more expired and were scrapped: they left the stock without serving demand.',
    );
  });

  it('escapes what people typed, as Slack documents', () => {
    expect(esc('<!here> & <@U1>')).toBe('&lt;!here&gt; &amp; &lt;@U1&gt;');
    const json = JSON.stringify(explainMessage(family(3)).blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<https://');
    expect(json).toContain('&lt;!channel&gt; &lt;@U1&gt; &amp;');
  });

  it('fits 500 adjustments into one message, keeping the sum, and the CLI text keeps them all', () => {
    const e = family(500);
    const msg = explainMessage(e, { share: '{"q":"FAM-1 2027-03","c":"2027-01"}' });
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(msg.blocks).length).toBeLessThan(13_000);
    const json = JSON.stringify(msg.blocks);
    expect(json).toContain('*Consensus: 600* = baseline 100');
    expect(json).toMatch(/and \d+ more adjustments/);
    expect(msg.blocks.at(-1)).toMatchObject({ type: 'actions' });
    const text = explainPlainText(e);
    expect(text.match(/• \+1 by U\d+ /g)).toHaveLength(500);
    expect(text).toContain('<!channel>');
  });

  it('prints a figure that is not a number as n/a, not 0', () => {
    // A consensus the data left NaN (a corrupt row): the walk's end and its step are not
    // numbers; the baseline, 100, is.
    const notANumber = (consensus: number, change: number): Explanation => {
      const e = family(1);
      if (e.kind !== 'family') throw new Error('a family explanation');
      const m = e.months[0]!;
      return {
        ...e,
        months: [{ ...m, consensus, steps: [{ ...m.steps[0]!, change }] }],
      };
    };
    const e = notANumber(Number.NaN, Number.NaN);
    const text = explainPlainText(e);
    expect(text).toContain('Consensus: n/a = baseline 100 n/a');
    expect(text).not.toContain('Consensus: 0');
    // The title too (the month's consensus summed): not "consensus 0 units".
    expect(text.split('\n')[0]).toBe('FAM-1 2027-03: consensus n/a units');
    expect(text).not.toContain('−0');
    const json = JSON.stringify(explainMessage(e, {}).blocks);
    expect(json).toContain('*Consensus: n/a* = baseline 100 n/a');
    // Infinity is no figure either: not "∞", not "−0".
    expect(
      explainPlainText(notANumber(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)),
    ).toContain('Consensus: n/a = baseline 100 n/a');
  });

  it('reads a picked figure back', () => {
    expect(parseFigureValue('FAM-12 2027-03')).toEqual({ code: 'FAM-12', period: '2027-03' });
    expect(parseFigureValue('FAM-12 March')).toBeNull();
  });

  it('names the cycle an update in force was entered in when it is an earlier one', () => {
    const update = (id: string, enteredIn: string | null, comment: string) => ({
      id,
      kind: 'delta_pct' as const,
      value: -30,
      reason: 'maintenance',
      comment,
      isConstraint: true,
      author: 'U_OTTO',
      enteredIn,
    });
    const month = explainResourceMonth({
      resource: 'LINE-2',
      unit: 'hours',
      period: '2027-04',
      runId: '3',
      overtimeCost: 80,
      plan: { load: 370, capacity: 378.7, overtime: 0, overtimeLimit: 80 },
      lastMonth: false,
      baseCapacity: null,
      updates: [
        update('1', '2027-01', 'Spindle overhaul'),
        update('2', '2027-02', 'Belt'),
        update('3', null, 'Standing'),
      ],
      families: [],
      shadowPrice: null,
      shadowPriceKind: null,
      scenarios: [],
    });
    const text = explainPlainText({
      kind: 'resource',
      query: { intent: 'explain', code: 'LINE-2', from: '2027-04', to: '2027-04', direction: null },
      resource: { id: 2, code: 'LINE-2', name: 'Line 2', unit: 'hours', overtimeCost: 80 },
      months: [month],
      cycleMonth: '2027-02',
      timezone: 'UTC',
      runId: '3',
      names: { U_OTTO: 'Otto' },
    } as Explanation);
    const lines = text.split('\n');
    const of = (comment: string) => lines.find((l) => l.includes(comment)) ?? '';
    expect(of('Spindle overhaul')).toContain("· constraint · entered in 2027-01's cycle");
    // This cycle's and a standing update need no such note.
    expect(of('Belt')).not.toContain('entered in');
    expect(of('Standing')).not.toContain('entered in');
  });

  it('says where the families of a resource-month left out are read: one with /sop explain, all with sopbot', () => {
    const month = explainResourceMonth({
      resource: 'CREW-1',
      unit: 'hours',
      period: '2027-05',
      runId: '3',
      overtimeCost: 80,
      plan: { load: 1400, capacity: 1500, overtime: 0, overtimeLimit: 80 },
      lastMonth: false,
      baseCapacity: null,
      updates: [],
      families: [],
      shadowPrice: null,
      shadowPriceKind: null,
      scenarios: [],
    });
    // 14 families of 100 hours each, the largest first as the service orders them.
    const families = Array.from({ length: 14 }, (_, i) => ({
      family: `FAM-${i + 1}`,
      production: 50,
      perUnit: 2,
      load: 100,
    }));
    const e = {
      kind: 'resource',
      query: { intent: 'explain', code: 'CREW-1', from: '2027-05', to: '2027-05', direction: null },
      resource: { id: 2, code: 'CREW-1', name: 'Crew 1', unit: 'hours', overtimeCost: 80 },
      months: [{ ...month, families }],
      cycleMonth: '2027-04',
      timezone: 'UTC',
      runId: '3',
      names: {},
    } as unknown as Extract<Explanation, { kind: 'resource' }>;
    // In Slack: the first 12, then the 2 left out with where to read them.
    expect(JSON.stringify(explainMessage(e).blocks)).toContain(
      "• FAM-12: 50 made × 2 hours = *100 hours*\\n_…and 2 more families: 200 hours. One family's load here: `/sop explain FAM-13 2027-05`; every family: `sopbot explain CREW-1 2027-05`._",
    );
    // At the terminal, every family.
    const text = explainPlainText(e);
    expect(text).toContain('FAM-14: 50 made × 2 hours = 100 hours');
    expect(text).not.toContain('more families');
    // A range cut to fit names the months left out as a question to ask.
    const periods = ['2027-05', '2027-06', '2027-07', '2027-08', '2027-09', '2027-10'];
    const range = explainMessage(
      {
        ...e,
        query: { ...e.query, to: '2027-10' },
        months: periods.map((period) => ({ ...month, period })),
      } as Explanation,
      { maxChars: 800 },
    );
    // 250 characters left for the list (800 − the header and context − 400): two months and
    // the line naming the other four.
    const said = JSON.stringify(range.blocks);
    expect(said).toContain('*2027-06*');
    expect(said).not.toContain('*2027-07*');
    expect(said).toContain(
      '_…and 4 more months: ask for them: `/sop explain CREW-1 2027-07..2027-10`._',
    );
  });

  it('says what each price is: exact as it is, a rate or an older run’s as the bound, a lost sale, none', () => {
    const RATE = '(the marginal rate: not re-solved for a whole unit)';
    const OLDER = '(stored before exact prices were marked)';
    const resource = (shadowPrice: number, shadowPriceKind: 'exact' | 'rate' | null) =>
      explainPlainText({
        kind: 'resource',
        query: { intent: 'explain', code: 'L', from: '2027-04', to: '2027-04', direction: null },
        resource: { id: 2, code: 'L', name: 'L', unit: 'h', overtimeCost: 0 },
        months: [
          explainResourceMonth({
            resource: 'L',
            unit: 'h',
            period: '2027-04',
            runId: '3',
            overtimeCost: 0,
            plan: { load: 100, capacity: 100, overtime: 0, overtimeLimit: 0 },
            lastMonth: false,
            baseCapacity: null,
            updates: [],
            families: [],
            shadowPrice,
            shadowPriceKind,
            scenarios: [],
          }),
        ],
        cycleMonth: '2027-02',
        timezone: 'UTC',
        runId: '3',
        names: {},
      } as Explanation);
    expect(resource(6, 'exact')).toContain('One more h on L in 2027-04 is worth $6.00.');
    // A dual saves at most what it says (the cost is convex in the capacity).
    expect(resource(6, 'rate')).toContain(
      `One more h on L in 2027-04 is worth at most $6.00 ${RATE}.`,
    );
    expect(resource(6, null)).toContain(
      `One more h on L in 2027-04 is worth at most $6.00 ${OLDER}.`,
    );
    // Nothing saved is exact, whatever its kind: one more hour never adds cost.
    expect(resource(0, 'rate')).toContain('is worth $0.00: it is used to the full');

    const base = family(0) as Extract<Explanation, { kind: 'family' }>;
    const demand = (
      marginalCost: number | null,
      marginalCostKind: FamilyPlanExplanation['marginalCostKind'],
    ) =>
      explainPlainText({
        ...base,
        months: [
          {
            ...base.months[0]!,
            plan: {
              runId: '9',
              scenario: 'central',
              supply: {
                demand: 100,
                production: 100,
                subcontract: 0,
                fromStock: 0,
                scrapped: 0,
                backlogged: 0,
                lost: 0,
                closingInventory: 0,
                closingBacklog: 0,
              },
              matchesConsensus: true,
              frozen: false,
              marginalCost,
              marginalCostKind,
              lastMonth: false,
              resources: [],
              binding: null,
            },
          },
        ],
      });
    expect(demand(16, 'served')).toContain('One more unit demanded would cost $16.00.');
    expect(demand(40, 'lost')).toContain(
      'One more unit demanded would cost $40.00, a lost sale: serving it would cost no less.',
    );
    expect(demand(null, 'unserved')).toContain(
      'One more unit demanded could not be served: no plan within the limits meets it (lost sales are not allowed).',
    );
    // A dual costs at least what it says; so does an older run's price, either way. Below
    // zero, "costs at least −$4" is "lowers the cost by at most $4", and exact is exact.
    expect(demand(-4, 'rate')).toContain(
      `One more unit demanded would lower the cost by at most $4.00 ${RATE}.`,
    );
    expect(demand(-4, 'served')).toContain('One more unit demanded would lower the cost by $4.00.');
    expect(demand(-4, 'rate')).not.toContain('−');
    expect(demand(16, null)).toContain(
      `One more unit demanded would cost at least $16.00 ${OLDER}.`,
    );
    // An integer program keeps no price: nothing is said.
    expect(demand(null, null)).not.toContain('One more unit demanded');
  });

  it('gives no share of regular capacity for a month cut to none', () => {
    const planned = (load: number, capacity: number) =>
      explainPlainText({
        kind: 'resource',
        query: { intent: 'explain', code: 'L', from: '2027-05', to: '2027-05', direction: null },
        resource: { id: 2, code: 'L', name: 'L', unit: 'hours', overtimeCost: 112 },
        months: [
          explainResourceMonth({
            resource: 'L',
            unit: 'hours',
            period: '2027-05',
            runId: '3',
            overtimeCost: 112,
            plan: { load, capacity, overtime: capacity > 0 ? 0 : load, overtimeLimit: 36 },
            lastMonth: false,
            baseCapacity: null,
            updates: [],
            families: [],
            shadowPrice: 174,
            shadowPriceKind: 'exact',
            scenarios: [],
          }),
        ],
        cycleMonth: '2027-02',
        timezone: 'UTC',
        runId: '3',
        names: {},
      } as Explanation)
        .split('\n')
        .find((l) => l.startsWith('Planned load'));
    // Cut to =0 by a breakdown: 36 hours planned, all overtime; it said "(0% of regular capacity)".
    expect(planned(36, 0)).toBe(
      'Planned load 36 hours (no regular capacity this month: all of it overtime).',
    );
    expect(planned(0, 0)).toBe('Planned load 0 hours (no regular capacity this month).');
    // 205 of 169 hours: 121.3%, shown whole.
    expect(planned(205, 169)).toBe('Planned load 205 hours (121% of regular capacity).');
  });
});
