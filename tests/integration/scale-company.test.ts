/**
 * sopbot as a big company uses it, through the real bot and the stand-in: 200 product families
 * and 30 resources with long names (60 characters of `&`, `<`, quotes and emoji), 40 sales reps
 * (one covering 40 families), 8 executives, 60 open follow-up actions and a plan run of 6
 * scenarios. Every surface a person opens at that size is one Slack accepts (the stand-in
 * refuses what Slack refuses), and each list that cannot show everything says where the rest is.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Role } from '../../src/core/company.js';
import { generateCompany } from '../../src/seed/company.js';
import { TARGET_ACTION } from '../../src/slack/presenters/change-modal.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { setUpCycle } from './jobs-fixture.js';
import { insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

const ADMIN = 'U_ALICE';
const REPS = Array.from({ length: 40 }, (_, i) => `U_REP${i}`);
const EXECS = Array.from({ length: 8 }, (_, i) => `U_EXEC${i}`);
const members: Record<string, Role> = { U_OPS: 'ops', U_PLAN: 'planner' };
for (const r of REPS) members[r] = 'sales';
for (const e of EXECS) members[e] = 'exec';

/** A name of 60 UTF-16 units in the characters that grow when escaped, and an emoji. */
const longName = (i: number) =>
  `Premium & <Deluxe> 😀 Kettle range ${i} for "Home" & Garden`.padEnd(60, '&');

const h = useHarness({
  label: 'scale-company',
  members,
  clock: testClock('2027-01-10T10:00:00Z'),
  adminUsers: [ADMIN],
});
let db: Db;
let standin: Standin;

beforeAll(async () => {
  ({ db, standin } = h);
  const base = generateCompany({ families: 200, months: 24, resources: 30, seed: 5 });
  const { cycleId } = await setUpCycle(db, {
    ...base,
    families: base.families.map((f, i) => ({ ...f, name: longName(i + 1) })),
    resources: base.resources.map((r, i) => ({ ...r, name: longName(1000 + i) })),
  });
  const fams = await db.selectFrom('families').select(['id', 'code']).orderBy('id').execute();
  // U_REP0 covers FAM-1..FAM-40; the 160 others go round the other 39 reps.
  await db
    .insertInto('member_families')
    .values(
      fams.map((f, i) => ({
        slack_user_id: i < 40 ? 'U_REP0' : (REPS[1 + (i % 39)] ?? ''),
        family_id: f.id,
      })),
    )
    .execute();
  await db
    .insertInto('actions')
    .values(
      Array.from({ length: 60 }, (_, i) => ({
        cycle_id: cycleId,
        description: `${longName(i)} follow-up ${i}`,
        owner: i % 2 ? ADMIN : 'U_REP0',
        due_date: '2027-01-20',
        created_by: ADMIN,
        request_key: `scale-${i}`,
      })),
    )
    .execute();
  const res = await db.selectFrom('resources').select('id').execute();
  await insertRun(db, {
    cycleId,
    runKey: 'scale-run',
    periods: ['2027-01', '2027-02'],
    demand: Object.fromEntries(fams.map((f) => [f.id, 100])),
    price: Object.fromEntries(fams.map((f) => [f.id, 10])),
    resources: res.map((r) => ({ id: r.id, capacity: 100_000, loadPerUnit: 1 })),
    scenarios: [
      ...SCENARIOS,
      ...SCENARIOS.map((s) => ({ ...s, name: `${s.name}2`, label: `${s.label} & <two> 😀` })),
    ],
  });
}, 120_000);

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);

/** `/sop <text>` as `user`, and the ephemeral it answers with. */
async function sop(user: string, text: string): Promise<string> {
  const n = standin.ephemeralsFor(user).length;
  await h.sop(user, text, 'C_GENERAL');
  return (await waitFor(() => standin.ephemeralsFor(user)[n])).text;
}

/** Every Web API call Slack would have refused, by method and answer. */
const refused = () =>
  standin.calls
    .filter((c) => c.response.ok === false)
    .map((c) => `${c.method}: ${JSON.stringify(c.response)}`);

describe('a company of 200 families, 40 reps, 8 executives, 60 actions and 6 scenarios', () => {
  it('/sop status names where the 25 reps it leaves out are, and /sop status owing lists each rep with every family', async () => {
    // 40 reps owe input; the status lists 15 and said "…and 25 more" with nowhere to see them.
    const status = await sop(ADMIN, 'status');
    expect(status).toContain('*Not submitted yet* (neither an adjustment nor "no change"): 40');
    expect(status).toContain(
      '_…and 25 more reps: `/sop status owing` lists every rep and family._',
    );
    // U_REP0 owes FAM-1..FAM-40: the status shows six of them.
    expect(status).toContain('• <@U_REP0>: FAM-1, FAM-2, FAM-3, FAM-4, FAM-5, FAM-6 and 34 more');

    const owing = await sop(ADMIN, 'status owing');
    const all40 = Array.from({ length: 40 }, (_, i) => `FAM-${i + 1}`).join(', ');
    expect(owing).toContain(`• <@U_REP0> (40): ${all40}`);
    // One line per rep: 40 reps, the 200 families between them.
    const repLines = owing.split('\n').filter((l) => l.startsWith('• <@U_REP'));
    expect(repLines).toHaveLength(40);
    const codes = repLines.flatMap((l) => l.split(': ')[1]?.split(', ') ?? []);
    expect(new Set(codes).size).toBe(200);
  });

  it('the forms, App Home, the lists, help, the vote and the pack are all ones Slack accepts', async () => {
    // Each form as filled in after its "loading" view: with its target picker.
    for (const [user, name, picker] of [
      ['U_REP0', '/forecast', TARGET_ACTION.forecast],
      [ADMIN, '/forecast', TARGET_ACTION.forecast],
      ['U_OPS', '/capacity', TARGET_ACTION.capacity],
    ] as const) {
      const ack = await h.driver.command(name, { user, channel: 'C_GENERAL', text: '' });
      expect(ack.status).toBe(200);
      await waitFor(() => JSON.stringify(standin.openViews(user)).includes(`"${picker}"`));
    }
    // 200 families: the family picker searches; each answer within Slack's 100 options.
    const view = standin.openViews(ADMIN)[0];
    const first = await h.driver.suggest(view?.id ?? '', TARGET_ACTION.forecast, '', {
      user: ADMIN,
    });
    expect(first.violations).toEqual([]);
    expect(first.options).toHaveLength(100);
    // The admin covers none: the first 100 of 200, and the label says so.
    const labels = (r: { body: unknown }) =>
      (r.body as { option_groups: { label: { text: string } }[] }).option_groups.map(
        (g) => g.label.text,
      );
    expect(labels(first)).toEqual(['All families: 100 of 200 shown, type to narrow']);
    const repView = standin.openViews('U_REP0')[0];
    const rep = await h.driver.suggest(repView?.id ?? '', TARGET_ACTION.forecast, '', {
      user: 'U_REP0',
    });
    // U_REP0's 40, then 60 of the other 160.
    expect(labels(rep)).toEqual(['Your families', 'All families: 60 of 160 shown, type to narrow']);
    const one = await h.driver.suggest(view?.id ?? '', TARGET_ACTION.forecast, 'range 137 ', {
      user: ADMIN,
    });
    expect(one.options.map((o) => o.value)).toEqual(['FAM-137']);

    for (const user of ['U_REP0', ADMIN, 'U_EXEC0']) {
      const before = standin.callsTo('views.publish').length;
      await h.driver.event({ type: 'app_home_opened', user, channel: `D_${user}`, tab: 'home' });
      await waitFor(() =>
        standin
          .callsTo('views.publish')
          .slice(before)
          .some((c) => c.args.user_id === user),
      );
    }
    // The admin owns 30 open actions: App Home shows 20 and points to the rest.
    expect(JSON.stringify(standin.homeView(ADMIN))).toContain(
      '…and 10 more: `/sop actions me` lists them.',
    );

    for (const text of ['actions', 'actions me', 'help', 'decisions', 'cycle', 'scenario'])
      await sop(ADMIN, text);
    await db.updateTable('cycles').set({ phase: 'executive' }).execute();
    expect(await sop(ADMIN, 'vote')).toContain('with 6 scenarios');
    await waitFor(() =>
      standin
        .messagesIn('C_EXEC')
        .find((m) => JSON.stringify(m.blocks ?? []).includes('vote_cast_6')),
    );
    expect(await sop(ADMIN, 'pack')).toContain('executive pack');

    expect(h.driver.failures).toEqual([]);
    expect(refused()).toEqual([]);
  });
});
