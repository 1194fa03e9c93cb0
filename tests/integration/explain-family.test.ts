/**
 * `/sop explain` on a hand-made company whose plan can be worked out by hand: two families on
 * one line, three months, a February promotion the line cannot carry. Every figure the
 * explanation shows is computed in this file, and the chain adds up to the consensus and to
 * the plan's numbers (solved by the real HiGHS through the planning service).
 *
 * The company: LINE-1 has 100 h a month and up to 20 h of overtime at $4/h. FAM-A takes 1 h
 * a unit (unit cost $10, holding $1, backlog $6, subcontracting $30, price $50); FAM-B
 * takes 0.5 h (unit cost $8, holding $1, backlog $6, no subcontracting, price $40).
 * Consensus: FAM-A 60, 138, 60; FAM-B 40, 60, 40. February needs 138 + 30 = 168 h, 68 h
 * over. The cheapest hours, per hour of February relief:
 *   January's 20 spare regular hours building FAM-A ($1 holding) ........... 20 h at $1
 *   February's overtime ($4) ................................................ 20 h at $4
 *   January's overtime building FAM-A ($4 + $1 holding) ..................... 20 h at $5
 *   FAM-A backlogged to March ($6; March has 20 h spare) ..................... 8 h at $6
 * (FAM-B would cost twice as much per hour to hold or backlog, subcontracting $20 more per
 * unit.) So January makes 100 A + 40 B on 120 h, February 90 A + 60 B on 120 h with 8 A
 * backlogged, March 68 A + 40 B on 88 h. Cost: A 258 × 10 + B 140 × 8 + 40 h × 4 + 40 × 1
 * + 8 × 6 = $3,948. One more February hour saves the backlog ($6); one more January hour
 * builds one more A instead of backlogging it ($6 − $1 = $5); March has slack ($0). One
 * more A demanded in February is made in March and backlogged: $10 + $6 = $16.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { explainQuestion } from '../../src/services/explain.js';
import { buildPack, packSections } from '../../src/services/pack.js';
import { sub } from '../../src/services/pack-loop.js';
import { runPlan } from '../../src/services/planning.js';
import { getSettings } from '../../src/services/settings.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { insertCycle } from '../helpers/db.js';
import { testClock, useHarness } from './meeting-fixture.js';

const COMMENT = '<!channel> big push & <b>more</b>';

describe('/sop explain on a hand-made company', () => {
  const h = useHarness({
    label: 'explain-fam',
    members: { U_REP: 'sales', U_REP2: 'sales', U_PLAN: 'planner' },
    clock: testClock('2027-01-10T10:00:00Z'),
  });
  /** `/sop <text>` as `user`, and the first ephemeral answer that `match` accepts. */
  const ask = async (
    user: string,
    channel: string,
    text: string,
    match: (t: string) => boolean,
  ) => {
    await h.driver.command('/sop', { user, channel, text });
    return h.standin.waitFor(() => h.standin.ephemeralsFor(user).find((x) => match(x.text)));
  };
  let cycleId: number;
  let runId: string;

  beforeAll(async () => {
    const db = h.db;
    await db
      .updateTable('members')
      .set({ display_name: 'Rita Rep' })
      .where('slack_user_id', '=', 'U_REP')
      .execute();
    // U_REP2's name is only in the bot's cache of Slack names, as it is in production.
    await db
      .insertInto('slack_user_names')
      .values({ slack_user_id: 'U_REP2', display_name: 'Sam Sales', fetched_at: new Date() })
      .execute();
    await getSettings(db);
    await db
      .updateTable('workspace_settings')
      .set({ horizon_months: 3, frozen_months: 0 })
      .execute();
    const [a, b] = await db
      .insertInto('families')
      .values([
        {
          code: 'FAM-A',
          name: 'Alpha',
          price: 50,
          unit_cost: 10,
          holding_cost: 1,
          backlog_cost: 6,
          subcontract_cost: 30,
        },
        {
          code: 'FAM-B',
          name: 'Beta',
          price: 40,
          unit_cost: 8,
          holding_cost: 1,
          backlog_cost: 6,
          subcontract_cost: null,
        },
      ])
      .returning('id')
      .execute();
    const line = await db
      .insertInto('resources')
      .values({
        code: 'LINE-1',
        name: 'Line 1',
        kind: 'line',
        unit: 'h',
        regular_capacity: 100,
        overtime_limit: 20,
        overtime_cost: 4,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('resource_loads')
      .values([
        { family_id: a!.id, resource_id: line.id, load_per_unit: 1 },
        { family_id: b!.id, resource_id: line.id, load_per_unit: 0.5 },
      ])
      .execute();
    // History 2025-01..2026-12: FAM-A 100 + month number, FAM-B 50.
    const months = Array.from(
      { length: 24 },
      (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    );
    await db
      .insertInto('sales_history')
      .values(
        months.flatMap((period, i) => [
          { family_id: a!.id, period, units: period === '2026-11' ? 115 : 100 + i },
          { family_id: b!.id, period, units: period === '2026-11' ? 95 : 50 },
        ]),
      )
      .execute();

    // An earlier cycle whose adjustments have actuals: Rita's +20 promotion on FAM-A took
    // 100 to 120 against an actual 115 (error 15 → 5: FVA +10); U_REP2's −30 "market" on
    // FAM-B took 100 to 70 against 95 (error 5 → 25: FVA −20).
    const oldId = await insertCycle(db, {
      month: '2026-10',
      phase: 'closed',
      closed_at: new Date('2026-10-30T00:00:00Z'),
    });
    await db
      .insertInto('baseline_forecasts')
      .values([
        { cycle_id: oldId, family_id: a!.id, period: '2026-11', value: 100, naive: 90 },
        { cycle_id: oldId, family_id: b!.id, period: '2026-11', value: 100, naive: 90 },
      ])
      .execute();
    const adj = (o: {
      cycle: number;
      family: number;
      period: string;
      author: string;
      kind: 'delta_units' | 'delta_pct' | 'set';
      value: number;
      reason: string;
      comment?: string;
      status?: 'accepted' | 'flagged';
      at: string;
      key: string;
    }) => ({
      cycle_id: o.cycle,
      family_id: o.family,
      period: o.period,
      author: o.author,
      author_role: 'sales' as const,
      kind: o.kind,
      value: o.value,
      reason_code: o.reason,
      comment: o.comment ?? null,
      status: o.status ?? 'accepted',
      zone: 'slushy' as const,
      source: 'api' as const,
      request_key: o.key,
      created_at: o.at,
    });
    await db
      .insertInto('forecast_adjustments')
      .values([
        adj({
          cycle: oldId,
          family: a!.id,
          period: '2026-11',
          author: 'U_REP',
          kind: 'delta_units',
          value: 20,
          reason: 'promotion',
          at: '2026-10-05T10:00:00Z',
          key: 'old-1',
        }),
        adj({
          cycle: oldId,
          family: b!.id,
          period: '2026-11',
          author: 'U_REP2',
          kind: 'delta_units',
          value: -30,
          reason: 'market',
          at: '2026-10-05T11:00:00Z',
          key: 'old-2',
        }),
      ])
      .execute();

    // Rita's +20 was first made in 2026-09's cycle, two months ahead, and carried into
    // 2026-10's (the row above). Forecast value added is scored at lag 1, as the review scores
    // it (src/core/review.ts FVA_LAG): 2026-11 once, from 2026-10's forecast, so her record
    // stays one adjustment, FVA +10, not two (+20) for the same change seen twice.
    const earlierId = await insertCycle(db, {
      month: '2026-09',
      phase: 'closed',
      closed_at: new Date('2026-09-30T00:00:00Z'),
    });
    await db
      .insertInto('baseline_forecasts')
      .values([{ cycle_id: earlierId, family_id: a!.id, period: '2026-11', value: 100, naive: 90 }])
      .execute();
    await db
      .insertInto('forecast_adjustments')
      .values(
        adj({
          cycle: earlierId,
          family: a!.id,
          period: '2026-11',
          author: 'U_REP',
          kind: 'delta_units',
          value: 20,
          reason: 'promotion',
          at: '2026-09-05T10:00:00Z',
          key: 'old-0',
        }),
      )
      .execute();

    cycleId = await insertCycle(db, { month: '2027-01', phase: 'supply_review' });
    await db
      .insertInto('baseline_models')
      .values([
        {
          cycle_id: cycleId,
          family_id: a!.id,
          method: 'comb(ETS(A,N,N), theta, damped)',
          params: JSON.stringify({
            'ets.alpha': 0.25,
            'theta.alpha': 0.5,
            'theta.drift': 1.5,
            'damped.alpha': 0.3,
            'damped.phi': 0.9,
          }),
          aicc: 123.4,
          history_hash: 'hand',
        },
        {
          cycle_id: cycleId,
          family_id: b!.id,
          method: 'ETS(A,N,N)',
          params: JSON.stringify({ alpha: 0.2 }),
          aicc: 88,
          history_hash: 'hand',
        },
      ])
      .execute();
    const line3 = (family: number, values: number[]) =>
      values.map((value, i) => ({
        cycle_id: cycleId,
        family_id: family,
        period: `2027-0${i + 1}`,
        value,
        naive: 50,
        lo80: value - 10,
        hi80: value + 10,
        lo95: value - 20,
        hi95: value + 20,
      }));
    await db
      .insertInto('baseline_forecasts')
      .values([...line3(a!.id, [60, 80, 60]), ...line3(b!.id, [40, 60, 40])])
      .execute();
    // February on FAM-A: Rita first +30, then +50 (her latest counts), U_REP2 +10% (flagged).
    await db
      .insertInto('forecast_adjustments')
      .values([
        adj({
          cycle: cycleId,
          family: a!.id,
          period: '2027-02',
          author: 'U_REP',
          kind: 'delta_units',
          value: 30,
          reason: 'promotion',
          at: '2027-01-04T10:00:00Z',
          key: 'new-0',
        }),
        adj({
          cycle: cycleId,
          family: a!.id,
          period: '2027-02',
          author: 'U_REP',
          kind: 'delta_units',
          value: 50,
          reason: 'promotion',
          comment: COMMENT,
          at: '2027-01-05T10:00:00Z',
          key: 'new-1',
        }),
        adj({
          cycle: cycleId,
          family: a!.id,
          period: '2027-02',
          author: 'U_REP2',
          kind: 'delta_pct',
          value: 10,
          reason: 'market',
          status: 'flagged',
          at: '2027-01-06T10:00:00Z',
          key: 'new-2',
        }),
      ])
      .execute();
    const out = await runPlan(db, await createHighsSolver(), {
      cycleId,
      runKey: 'explain-hand',
      trigger: 'test',
      requestedBy: null,
    });
    runId = out.runId;
  });
  it('the plan is the one worked out by hand', async () => {
    const central = await h.db
      .selectFrom('plan_scenarios')
      .select(['total_cost'])
      .where('run_id', '=', runId)
      .where('name', '=', 'central')
      .executeTakeFirstOrThrow();
    expect(central.total_cost).toBeCloseTo(3948, 6);
  });

  it('FAM-A 2027-02: each step adds up to the consensus and to the plan', async () => {
    const e = await explainQuestion(h.db, 'FAM-A 2027-02');
    if (e.kind !== 'family') throw new Error(e.kind);
    const [m] = e.months;
    if (!m) throw new Error('no month');
    expect(e.runId).toBe(runId);
    // History: the 12 months before the cycle, and February 2026 (100 + 13).
    expect(m.history.map((x) => x.period)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    );
    expect(m.sameMonthLastYear).toEqual({ period: '2026-02', units: 113 });
    // Baseline and why.
    expect(m.baseline).toMatchObject({ value: 80, lo80: 70, hi80: 90, lo95: 60, hi95: 100 });
    expect(m.model?.members.map((x) => x.weight)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(m.model?.members[2]?.params).toEqual({ alpha: 0.3, phi: 0.9 });
    expect(m.model?.aicc).toBe(123.4);
    // Steps: Rita's +50 (her +30 superseded), then 10% of 80 = +8 (flagged).
    expect(m.steps.map((s) => [s.author, s.change, s.flagged, s.reasonCode])).toEqual([
      ['U_REP', 50, false, 'promotion'],
      ['U_REP2', 8, true, 'market'],
    ]);
    expect(m.superseded).toBe(1);
    expect(m.steps[0]?.comment).toBe(COMMENT);
    expect(m.steps[0]?.authorFva).toMatchObject({ adjustments: 1, fva: 10, helped: 1, hurt: 0 });
    expect(m.steps[0]?.reasonFva).toMatchObject({ adjustments: 1, fva: 10 });
    expect(m.steps[1]?.authorFva).toMatchObject({ adjustments: 1, fva: -20, helped: 0, hurt: 1 });
    expect(m.steps[1]?.reasonFva).toMatchObject({ fva: -20 });
    const consensus = 80 + 50 + 8;
    expect(m.consensus).toBe(consensus);
    expect(80 + m.steps.reduce((s, x) => s + x.change, 0)).toBe(m.consensus);
    // Supply: 90 made + 40 from January's stock + 8 backlogged = 138.
    const s = m.plan!.supply;
    expect(m.plan?.matchesConsensus).toBe(true);
    expect(s.demand).toBeCloseTo(consensus, 6);
    expect(s.production).toBeCloseTo(90, 6);
    expect(s.fromStock).toBeCloseTo(40, 6);
    expect(s.backlogged).toBeCloseTo(8, 6);
    expect(s.subcontract).toBeCloseTo(0, 6);
    expect(s.lost).toBeCloseTo(0, 6);
    expect(s.production + s.subcontract + s.fromStock + s.backlogged + s.lost).toBeCloseTo(
      s.demand,
      6,
    );
    const line = m.plan!.resources[0]!;
    expect(line).toMatchObject({ resource: 'LINE-1', state: 'full' });
    expect(line.load).toBeCloseTo(120, 6);
    expect(line.overtime).toBeCloseTo(20, 6);
    expect(line.familyLoad).toBeCloseTo(90, 6);
    expect(line.shadowPrice).toBeCloseTo(6, 6);
    expect(m.plan?.binding).toContain('LINE-1 in 2027-02');
    // One more unit of FAM-A in February: every cheaper hour is taken, so it is made in
    // March on a spare hour and backlogged a month: $10 + $6.
    expect(m.plan?.marginalCost).toBeCloseTo(16, 6);
    // Each scenario: central 138; cautious −10%; ambitious +15%; central revenue 130 × $50.
    const byName = Object.fromEntries(m.scenarios.map((x) => [x.name, x]));
    expect(byName.central?.demand).toBeCloseTo(138, 6);
    expect(byName.cautious?.demand).toBeCloseTo(138 * 0.9, 6);
    expect(byName.ambitious?.demand).toBeCloseTo(138 * 1.15, 6);
    expect(byName.central?.revenue).toBeCloseTo(130 * 50, 6);
  });

  it('LINE-1: the load by family, the overload, what the plan did and the shadow prices', async () => {
    const e = await explainQuestion(h.db, 'LINE-1 2027-01..2027-03');
    if (e.kind !== 'resource') throw new Error(e.kind);
    const [jan, feb, mar] = e.months;
    expect(feb?.families.map((f) => [f.family, Math.round(f.load * 1e6) / 1e6])).toEqual([
      ['FAM-A', 90],
      ['FAM-B', 30],
    ]);
    expect(feb?.capacity).toBe(100);
    expect(feb?.demandLoad).toBeCloseTo(168, 6);
    expect(feb?.overload).toBeCloseTo(68, 6);
    expect(feb?.response.overtime).toBeCloseTo(20, 6);
    expect(feb?.response.overtimeCost).toBeCloseTo(80, 6);
    expect(feb?.response.fromStock).toBeCloseTo(40, 6);
    expect(feb?.response.stockBuiltIn).toEqual(['2027-01']);
    expect(feb?.response.backlogged).toBeCloseTo(8, 6);
    expect(feb?.checks.responseGap).toBeCloseTo(0, 6);
    expect(jan?.shadowPrice).toBeCloseTo(5, 6);
    expect(feb?.shadowPrice).toBeCloseTo(6, 6);
    expect(mar?.shadowPrice).toBeCloseTo(0, 6);
    expect(mar?.load).toBeCloseTo(88, 6);
  });

  it('answers in Slack: ephemeral, escaped, with the sum and a share button that shares once', async () => {
    const r = await h.driver.command('/sop', {
      user: 'U_REP',
      channel: 'C_DEMAND',
      text: 'explain why is FAM-A up in February',
    });
    expect(r.ok).toBe(true);
    const eph = await h.standin.waitFor(() =>
      h.standin.ephemeralsFor('U_REP').find((x) => x.text.startsWith('FAM-A 2027-02')),
    );
    const body = JSON.stringify(eph.blocks);
    expect(body).toContain('&lt;!channel&gt; big push &amp; &lt;b&gt;more&lt;/b&gt;');
    expect(body).not.toContain('<!channel>');
    expect(body).toContain('Consensus: 138* = baseline 80 +50 +8');
    expect(body).toContain('Rita Rep');
    expect(body).toContain('by Sam Sales');
    expect(body).toContain('flagged');
    expect(body).toContain(
      'Demand 138 = made 90 + subcontracted 0 + from stock 40 + backlogged 8 + lost 0',
    );
    expect(body).toContain('one more unit of capacity is worth $6.00');
    expect(body).toContain('One more unit demanded would cost $16.00');
    const before = h.standin.messagesIn('C_DEMAND').length;
    const click = await h.driver.clickEphemeralButton(eph.ts, 'explain_share', { user: 'U_REP' });
    expect(click.ok).toBe(true);
    await h.driver.resend(click.request, { retryNum: 1 });
    const shared = await h.standin.waitFor(() =>
      h.standin.messagesIn('C_DEMAND').find((x) => x.text.startsWith('FAM-A 2027-02')),
    );
    expect(JSON.stringify(shared.blocks)).toContain('shared by <@U_REP>');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.standin.messagesIn('C_DEMAND').length).toBe(before + 1);
  });

  it('answers the resource question with its shadow price in words', async () => {
    const eph = await ask('U_PLAN', 'C_SUPPLY', 'explain what limits LINE-1 in February', (t) =>
      t.startsWith('LINE-1 2027-02'),
    );
    const body = JSON.stringify(eph.blocks);
    expect(body).toContain('One more h on LINE-1 in 2027-02 is worth *$6.00*');
    expect(body).toContain('*68 h over* regular capacity');
    expect(body).toContain('overtime 20 h ($80.00)');
  });

  it('the pack’s question 8 ranks the binding constraints by what an hour is worth', async () => {
    const pack = await buildPack(h.db, '2027-01', new Date('2027-01-10T10:00:00Z'));
    const q8 = packSections(pack).find((s) => s.n === 8)!;
    // February's hour saves the $6 backlog, January's the $6 backlog less $1 holding.
    expect(q8.lines).toEqual([
      'Ranked by what one more unit of capacity is worth (shadow price):',
      sub('LINE-1 2027-02: one more h is worth $6.00 (loaded at 120.0% of regular capacity).'),
      sub('LINE-1 2027-01: one more h is worth $5.00 (loaded at 120.0% of regular capacity).'),
    ]);
  });

  it('sopbot explain prints the same chain, as JSON with --format json', async () => {
    let out = '';
    const io = {
      stdout: (x: string) => {
        out += x;
      },
      stderr: () => {},
      env: h.env,
    };
    expect(await main(['explain', 'FAM-A', '2027-02', '--format', 'json'], io)).toBe(0);
    const json = JSON.parse(out);
    expect(json.kind).toBe('family');
    expect(json.months[0].consensus).toBe(138);
    expect(json.months[0].steps.map((s: { change: number }) => s.change)).toEqual([50, 8]);
    expect(json.months[0].plan.supply.fromStock).toBeCloseTo(40, 6);
    out = '';
    expect(await main(['explain', 'what', 'limits', 'LINE-1', 'in', 'February'], io)).toBe(0);
    expect(out).toContain('One more h on LINE-1 in 2027-02 is worth $6.00');
    expect(out).not.toContain('&lt;');
    out = '';
    expect(await main(['explain', 'how', 'are', 'we'], io)).toBe(2);
    expect(out).toContain('who changed FAM-2');
  });

  it('/sop help describes /sop explain', async () => {
    const help = await ask('U_REP2', 'C_DEMAND', 'help', (t) => t.includes('sopbot commands'));
    expect(help.text).toContain('/sop explain FAM-3 2027-05');
    expect(help.text).toContain('what a constraint costs');
  });

  it('who changed FAM-A lists every change with its status; an unknown question lists the forms', async () => {
    const who = await explainQuestion(h.db, 'who changed FAM-A');
    if (who.kind !== 'changes') throw new Error(who.kind);
    expect(who.changes.map((c) => [c.author, c.value, c.status])).toEqual([
      ['U_REP', 30, 'accepted'],
      ['U_REP', 50, 'accepted'],
      ['U_REP2', 10, 'flagged'],
    ]);
    const eph = await ask('U_REP', 'C_DEMAND', 'explain how are we doing', (t) =>
      t.includes('not one I understand'),
    );
    expect(eph.text).toContain('what limits LINE-1 in August');
    const unknown = await ask('U_REP', 'C_DEMAND', 'explain FAM-Z 2027-02', (t) =>
      t.includes('no family or resource `FAM-Z`'),
    );
    expect(unknown.text).toContain('FAM-A');
    // It said "see `/sop families`", which listed nothing and is not a rep's to use: it names
    // who may list them.
    expect(unknown.text).toContain(
      '(Planner or Admin members list the families with `/sop families`).',
    );
    // A past month has actuals, not a plan: 2026-02 sold 100 + 13.
    await expect(explainQuestion(h.db, 'FAM-A 2026-02')).rejects.toThrow(
      '2026-02 is before the 2027-01 cycle: FAM-A sold 113 units then.',
    );
    // Past the 3-month horizon (2027-01 to 2027-03) nothing is forecast or planned; it was
    // answered "FAM-A 2027-04: consensus 0 units", also for a range that runs past it.
    const pastHorizon =
      "2027-04 is after the 2027-01 cycle's horizon, which ends 2027-03: nothing is forecast or planned for it. Explanations cover the cycle's plan months, 2027-01 to 2027-03.";
    await expect(explainQuestion(h.db, 'FAM-A 2027-04')).rejects.toThrow(pastHorizon);
    await expect(explainQuestion(h.db, 'FAM-A 2027-02..2027-05')).rejects.toThrow(pastHorizon);
    const past = await ask('U_REP', 'C_DEMAND', 'explain FAM-A 2029-01', (t) =>
      t.includes('after the 2027-01'),
    );
    expect(past.text).toBe(
      ":warning: 2029-01 is after the 2027-01 cycle's horizon, which ends 2027-03: nothing is forecast or planned for it. Explanations cover the cycle's plan months, 2027-01 to 2027-03.",
    );
  });

  it('units from the company files are escaped in the message text (the notification)', async () => {
    // Units are CSV text (up to 32 characters); the last test here, so the others keep theirs.
    await h.db
      .updateTable('families')
      .set({ unit: '<!channel> & co' })
      .where('code', '=', 'FAM-A')
      .execute();
    await h.db
      .updateTable('resources')
      .set({ unit: '<!here>' })
      .where('code', '=', 'LINE-1')
      .execute();
    /** The first answer `user` gets after asking. */
    const answer = async (user: string, channel: string, text: string) => {
      const n = h.standin.ephemeralsFor(user).length;
      await h.driver.command('/sop', { user, channel, text });
      return h.standin.waitFor(() => h.standin.ephemeralsFor(user)[n]);
    };
    const fam = await answer('U_REP', 'C_DEMAND', 'explain FAM-A 2027-02');
    expect(fam.text).toBe('FAM-A 2027-02: consensus 138 &lt;!channel&gt; &amp; co');
    const line = await answer('U_PLAN', 'C_SUPPLY', 'explain LINE-1 2027-02');
    expect(line.text).toMatch(/^LINE-1 2027-02: [\d,]+ of [\d,]+ &lt;!here&gt; loaded$/);
    for (const t of [fam.text, line.text]) expect(t).not.toMatch(/<!/);
  });
});
