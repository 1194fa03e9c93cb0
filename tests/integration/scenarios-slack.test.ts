/**
 * `/sop scenario list|set|reset` through the stand-in: planners set a cycle's scenarios in a
 * modal, the rows are stored per cycle, bad answers come back as field errors, labels are
 * escaped, other roles are refused, and reset goes back to the defaults.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { insertFamilies, testClock, useHarness } from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const OPS = 'U_OPS';
const h = useHarness({
  label: 'scenarios-slack',
  members: { [PLANNER]: 'planner', [OPS]: 'ops' },
  clock: testClock('2027-03-15T10:00:00Z'),
});
let db: Db;
let standin: Standin;
let cycleId: number;

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);
const ephemeralWith = (user: string, needle: string) =>
  waitFor(() => standin.ephemeralsFor(user).find((e) => e.text.includes(needle)));

beforeAll(async () => {
  ({ db, standin } = h);
  await insertFamilies(db);
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'pre_sop' });
});

describe('/sop scenario', () => {
  it('lists the defaults, then saves a scenario set in the modal', async () => {
    await h.sop(PLANNER, 'scenario list');
    const list = await ephemeralWith(PLANNER, 'Scenarios of 2027-03 (the defaults');
    expect(list.text).toContain('*Cautious* (`cautious`): plans for the consensus -10%');
    expect(list.text).toContain('no overtime');

    await h.sop(PLANNER, 'scenario set cash-first');
    const modal = await waitFor(() => standin.openViews(PLANNER).at(-1));
    // A bad number comes back on its field; the modal stays open.
    const bad = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Cash first' }, plan_pct: { v: 'ten' } },
    });
    expect(JSON.stringify(bad.body)).toContain("'ten' is not a number");
    expect(await db.selectFrom('cycle_scenarios').selectAll().execute()).toHaveLength(0);

    const ok = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: {
        label: { v: 'Cash <first>' },
        plan_pct: { v: '-5' },
        overtime: { v: 'off' },
        cover_days: { v: '4' },
        hiring: { v: 'freeze' },
        invest_size: { v: '10' },
        invest_resource: { v: 'LINE-1' },
      },
    });
    expect(ok.status).toBe(200);
    const saved = await ephemeralWith(PLANNER, 'Saved *cash-first*');
    // The typed label is escaped before it reaches mrkdwn.
    expect(saved.text).toContain('*Cash &lt;first&gt;*');
    const rows = await db
      .selectFrom('cycle_scenarios')
      .selectAll()
      .where('cycle_id', '=', cycleId)
      .orderBy('position')
      .execute();
    // The defaults, then the new one.
    expect(rows.map((r) => r.name)).toEqual(['central', 'cautious', 'ambitious', 'cash-first']);
    expect(rows[3]!.assumptions).toMatchObject({
      name: 'cash-first',
      label: 'Cash <first>',
      demandMultiplier: 0.95,
      overtime: false,
      subcontracting: true,
      stockCoverDays: 4,
      hiringFreeze: true,
      capacityInvestment: { resource: 'LINE-1', sizePct: 10 },
    });
    expect(rows[3]!.updated_by).toBe(PLANNER);
  });

  it('names unknown resources, refuses other roles, and resets to the defaults', async () => {
    await h.sop(PLANNER, 'scenario set bigger');
    const modal = await waitFor(() => standin.openViews(PLANNER).at(-1));
    const res = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: {
        label: { v: 'Bigger' },
        invest_size: { v: '20' },
        invest_resource: { v: 'LINE-9' },
      },
    });
    expect(JSON.stringify(res.body)).toContain("unknown resource 'LINE-9'");

    await h.sop(OPS, 'scenario list');
    await waitFor(() => standin.ephemeralsFor(OPS).at(-1));
    expect(standin.ephemeralsFor(OPS).at(-1)?.text).not.toContain('Scenarios of');

    await h.sop(PLANNER, 'scenario reset');
    await ephemeralWith(PLANNER, 'Back to the default scenarios');
    expect(await db.selectFrom('cycle_scenarios').selectAll().execute()).toHaveLength(0);
  });
});
