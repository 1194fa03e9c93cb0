/**
 * `/sop explain` answers fit Slack on a 200-family company, checked against the stand-in
 * (which refuses what Slack refuses: more than 50 blocks, sections over 3000 characters,
 * blocks over ~13k characters, more than 100 options, modals over 100 blocks). The company
 * is loaded on purpose: 60 people adjusting one family-month with long comments, 200 changes
 * to one family, 30 capacity updates on a crew that all 200 families load, ranges of 18
 * months, and a bot message naming every family for "Explain this".
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextPeriods } from '../../src/core/period.js';
import { importCompany } from '../../src/import/import-company.js';
import { generateCompany } from '../../src/seed/company.js';
import { runPlan } from '../../src/services/planning.js';
import { getSettings } from '../../src/services/settings.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { idOfCode, insertCycle } from '../helpers/db.js';
import { testClock, useHarness } from './meeting-fixture.js';

const MONTHS = nextPeriods('2027-01', 18);
const LONG = `<!here> <@U_BOSS> & *see* _this_ ${'very long comment '.repeat(15)}`.slice(0, 280);

/** Slack's message limits (docs: Block Kit; the stand-in enforces the same). */
interface BlockLike {
  readonly type: string;
  readonly text?: { readonly text: string };
  readonly fields?: readonly { readonly text: string }[];
}

function expectWithinLimits(blocks: readonly unknown[] | undefined, maxBlocks = 50): void {
  expect(blocks).toBeDefined();
  const list = blocks as BlockLike[];
  expect(list.length).toBeLessThanOrEqual(maxBlocks);
  if (maxBlocks === 50) expect(JSON.stringify(list).length).toBeLessThan(13_000);
  for (const b of list) {
    if (b.type === 'header') expect(b.text?.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'section') {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      expect((b.fields ?? []).length).toBeLessThanOrEqual(10);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
  }
  // What people typed never reaches mrkdwn live.
  const json = JSON.stringify(list);
  expect(json).not.toContain('<!here>');
  expect(json).not.toContain('<@U_BOSS>');
}

describe('/sop explain on a 200-family company stays within Slack’s limits', () => {
  const h = useHarness({
    label: 'explain-200',
    members: { U_PLAN: 'planner' },
    clock: testClock('2027-01-10T10:00:00Z'),
  });
  const ask = async (text: string, title: string) => {
    const r = await h.driver.command('/sop', {
      user: 'U_PLAN',
      channel: 'C_SUPPLY',
      text: `explain ${text}`,
    });
    expect(r.ok).toBe(true);
    const eph = await h.standin.waitFor(
      () => h.standin.ephemeralsFor('U_PLAN').find((x) => x.text.startsWith(title)),
      20_000,
    );
    expectWithinLimits(eph.blocks);
    return eph;
  };

  beforeAll(async () => {
    const db = h.db;
    await importCompany(
      db,
      generateCompany({ families: 200, months: 36, resources: 6, seed: 5 }),
      'test',
    );
    await getSettings(db);
    const cycleId = await insertCycle(db, { month: '2027-01', phase: 'supply_review' });
    const fams = await db.selectFrom('families').select(['id', 'code']).orderBy('id').execute();
    const params = JSON.stringify(
      Object.fromEntries(
        ['ets', 'theta', 'damped'].flatMap((m) =>
          ['alpha', 'beta', 'gamma', 'phi', 'l0', 'b0', 'sigma'].map((k, i) => [
            `${m}.${k}`,
            0.1 * (i + 1),
          ]),
        ),
      ),
    );
    await db
      .insertInto('baseline_models')
      .values(
        fams.map((f) => ({
          cycle_id: cycleId,
          family_id: f.id,
          method: 'comb(ETS(M,Ad,M), theta, damped)',
          params,
          aicc: 1234.5,
          history_hash: 'x',
        })),
      )
      .execute();
    await db
      .insertInto('baseline_forecasts')
      .values(
        fams.flatMap((f, i) =>
          MONTHS.map((period) => ({
            cycle_id: cycleId,
            family_id: f.id,
            period,
            value: 300 + 10 * i,
            naive: 300,
            lo80: 250,
            hi80: 350,
            lo95: 200,
            hi95: 400,
          })),
        ),
      )
      .execute();
    const fam1 = fams.find((f) => f.code === 'FAM-1')!;
    // 60 people adjust FAM-1 in March, each with a long comment; 200 changes over the year.
    await db
      .insertInto('forecast_adjustments')
      .values(
        Array.from({ length: 260 }, (_, i) => ({
          cycle_id: cycleId,
          family_id: fam1.id,
          period: i < 60 ? '2027-03' : MONTHS[i % 18]!,
          author: `U_S${i % 60}`,
          author_role: 'sales' as const,
          kind: 'delta_units' as const,
          value: (i % 7) - 2,
          reason_code: `reason_${i % 9}`,
          comment: LONG,
          status: i % 5 === 0 ? ('flagged' as const) : ('accepted' as const),
          zone: 'liquid' as const,
          source: 'api' as const,
          request_key: `lim-${i}`,
          created_at: new Date(Date.UTC(2027, 0, 2, 0, i)).toISOString(),
        })),
      )
      .execute();
    const crewId = await idOfCode(db, 'resources', 'CREW-1');
    await db
      .insertInto('capacity_updates')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          cycle_id: cycleId,
          resource_id: crewId,
          period: '2027-03',
          kind: 'delta_units' as const,
          value: -1,
          reason_code: 'absence',
          comment: LONG,
          is_constraint: i % 2 === 0,
          author: `U_OPS${i}`,
          source: 'api' as const,
          request_key: `cap-${i}`,
        })),
      )
      .execute();
    await runPlan(db, await createHighsSolver(), {
      cycleId: cycleId,
      runKey: 'limits',
      trigger: 'test',
      requestedBy: null,
    });
  }, 180_000);
  it('a family month with 60 adjustments, and its share in the channel', async () => {
    const eph = await ask('FAM-1 2027-03', 'FAM-1 2027-03');
    const json = JSON.stringify(eph.blocks);
    expect(json).toContain('more adjustments');
    // The list gives way; the sum, the supply and the scenarios are always there.
    expect(json).toContain('*Consensus: ');
    expect(json).toContain('Supply in plan run');
    expect(json).toContain('In each scenario');
    expect(json).toContain('&lt;!here&gt;');
    const click = await h.driver.clickEphemeralButton(eph.ts, 'explain_share', { user: 'U_PLAN' });
    expect(click.ok).toBe(true);
    const shared = await h.standin.waitFor(
      () => h.standin.messagesIn('C_SUPPLY').find((m) => m.text.startsWith('FAM-1 2027-03')),
      20_000,
    );
    expectWithinLimits(shared.blocks);
  });

  it('a crew loaded by all 200 families, with 30 updates in force', async () => {
    const eph = await ask('CREW-1 2027-03', 'CREW-1 2027-03');
    expect(JSON.stringify(eph.blocks)).toMatch(/and \d+ more families/);
  });

  it('ranges of 18 months, and every change to a family', async () => {
    await ask('FAM-1 2027-01..2028-06', 'FAM-1 2027-01..2028-06');
    await ask('CREW-1 2027-01..2028-06', 'CREW-1 2027-01..2028-06');
    const who = await ask('who changed FAM-1', 'Who changed FAM-1');
    expect(JSON.stringify(who.blocks)).toContain('more changes');
  });

  it('"Explain this" on a bot message naming all 200 families: at most 100 figures, then one explained', async () => {
    const bot = new WebClient(h.env.SLACK_BOT_TOKEN, { slackApiUrl: h.standin.apiUrl });
    const codes = Array.from({ length: 200 }, (_, i) => `FAM-${i + 1}`);
    const posted = await bot.chat.postMessage({
      channel: 'C_SUPPLY',
      text: `Movers in 2027-03: ${codes.join(', ')}`,
    });
    const r = await h.driver.messageShortcut('C_SUPPLY', posted.ts!, 'explain_this', {
      user: 'U_PLAN',
    });
    expect(r.ok).toBe(true);
    const view = await h.standin.waitFor(() => h.standin.openViews('U_PLAN').at(-1), 20_000);
    const first = (view.definition.blocks as { accessory?: { options: { value: string }[] } }[])[0];
    const select = first?.accessory ?? { options: [] };
    expect(select.options).toHaveLength(100);
    expect(select.options[0]?.value).toBe('FAM-1 2027-03');
    const pick = await h.driver.selectOption(view.id, 'explain_pick', 'FAM-1 2027-03', {
      user: 'U_PLAN',
    });
    expect(pick.ok).toBe(true);
    const updated = await h.standin.waitFor(() => {
      const v = h.standin.openViews('U_PLAN').at(-1);
      return JSON.stringify(v?.definition.blocks ?? []).includes('Consensus') ? v : undefined;
    }, 20_000);
    expectWithinLimits(updated.definition.blocks as unknown[], 100);
  });

  it('"Explain this" on someone else’s message says it works on sopbot’s messages', async () => {
    const msg = h.standin.store.addMessage({
      channel: 'C_SUPPLY',
      text: 'FAM-2 2027-04 looks odd',
      source: 'api',
      user: 'U_PLAN',
    });
    await h.driver.messageShortcut('C_SUPPLY', msg.ts, 'explain_this', { user: 'U_PLAN' });
    const view = await h.standin.waitFor(() => {
      const v = h.standin.openViews('U_PLAN').at(-1);
      return JSON.stringify(v?.definition ?? {}).includes('works on messages sopbot posted')
        ? v
        : undefined;
    });
    expect(view).toBeDefined();
  });
});
