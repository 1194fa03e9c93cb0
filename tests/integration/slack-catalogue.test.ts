/**
 * A catalogue bigger than a static select holds (100 options): the /forecast modal searches
 * families with an external select, the rep's own families first; the /capacity modal searches
 * resources the same way.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pickInModal } from '../../src/demo/run.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { type HttpTestBot, startHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers, type TestDb } from '../helpers/db.js';
import { changeModalValues } from '../helpers/slack.js';

const REP = 'U_ALICE';
const OPS = 'U_BOB';
/** Covered FAM-120 and FAM-121 as a rep, then was made planner (`/sop role` keeps the list). */
const FORMER_REP = 'U_PAT';
let running: HttpTestBot;
let tdb: TestDb;
let standin: Standin;
let driver: Driver;

beforeAll(async () => {
  running = await startHttpTestBot('slack-catalogue');
  ({ t: tdb, standin, driver } = running);
  const fams = await tdb.db
    .insertInto('families')
    .values(
      Array.from({ length: 130 }, (_, i) => ({
        code: `FAM-${String(i + 1).padStart(3, '0')}`,
        name: `Family ${i + 1}`,
        price: 10,
        unit_cost: 5,
        holding_cost: 1,
        backlog_cost: 2,
      })),
    )
    .returning(['id', 'code'])
    .execute();
  await tdb.db
    .insertInto('resources')
    .values(
      Array.from({ length: 105 }, (_, i) => ({
        code: `RES-${String(i + 1).padStart(3, '0')}`,
        name: i + 1 === 42 ? 'Paint shop' : `Line ${i + 1}`,
        kind: 'line' as const,
        regular_capacity: 1000,
      })),
    )
    .execute();
  await insertMembers(tdb.db, { [REP]: 'sales', [OPS]: 'ops', [FORMER_REP]: 'planner' });
  await tdb.db
    .insertInto('member_families')
    .values(
      fams
        .filter((f) => ['FAM-120', 'FAM-121'].includes(f.code))
        .flatMap((f) => [REP, FORMER_REP].map((who) => ({ slack_user_id: who, family_id: f.id }))),
    )
    .execute();
  await insertCycle(tdb.db, { month: '2027-01', phase: 'data_gathering' });
});

afterAll(async () => {
  await running?.stop();
});

it('130 families: an external select whose search lists the rep’s families first', async () => {
  await driver.command('/forecast', { user: REP, channel: 'C_DEMAND' });
  const view = await standin.waitFor(() => {
    const v = standin.openViews(REP).at(-1);
    return v?.definition.callback_id === 'forecast_submit' ? v : undefined;
  });
  const blocks = view.definition.blocks as { element?: { type?: string } }[];
  expect(blocks[0]?.element?.type).toBe('external_select');

  const res = await driver.suggest(view.id, 'forecast_target_pick', 'FAM-12', { user: REP });
  const groups = (
    res.body as { option_groups: { label: { text: string }; options: { value: string }[] }[] }
  ).option_groups;
  expect(groups.map((g) => g.label.text)).toEqual(['Your families', 'All families']);
  expect(groups[0]?.options.map((o) => o.value)).toEqual(['FAM-120', 'FAM-121']);
  // A rep's form offers "No change for my families".
  expect(JSON.stringify(view.definition.blocks)).toContain('"action_id":"forecast_no_change"');
  expect(groups[1]?.options.map((o) => o.value)).toEqual([
    ...Array.from({ length: 10 }, (_, i) => `FAM-12${i}`).filter(
      (c) => !['FAM-120', 'FAM-121'].includes(c),
    ),
  ]);
});

it('a rep made planner: no "Your families" group, every family in one list', async () => {
  // Before: "Your families" FAM-120 and FAM-121 first, though nobody asks them for their input.
  await driver.command('/forecast', { user: FORMER_REP, channel: 'C_DEMAND' });
  const view = await standin.waitFor(() => {
    const v = standin.openViews(FORMER_REP).at(-1);
    return v?.definition.callback_id === 'forecast_submit' ? v : undefined;
  });
  const res = await driver.suggest(view.id, 'forecast_target_pick', 'FAM-12', {
    user: FORMER_REP,
  });
  const groups = (
    res.body as { option_groups: { label: { text: string }; options: { value: string }[] }[] }
  ).option_groups;
  expect(groups.map((g) => g.label.text)).toEqual(['All families']);
  // Nor does their form offer "No change for my families", which only a rep may declare
  // (before, the button was there and its click refused).
  expect(JSON.stringify(view.definition.blocks)).not.toContain('forecast_no_change');
  expect(groups[0]?.options.map((o) => o.value)).toEqual(
    Array.from({ length: 10 }, (_, i) => `FAM-12${i}`),
  );
});

it("the demo's pick in the /forecast modal types the code first, as past 100 families it must", async () => {
  // `npm run demo -- --families 101` stopped in step 3: it picked FAM-1 in the external
  // select without asking for options, which Slack (and the stand-in) refuses. The demo's own
  // pick (pickInModal) is run here against 130 families; the whole demo at 101 families took
  // 41 s against 26 s at 12 (measured), so this checks the one step that failed instead.
  const before = new Set(standin.openViews(REP).map((v) => v.id));
  await driver.command('/forecast', { user: REP, channel: 'C_DEMAND' });
  const view = await standin.waitFor(() => {
    const v = standin.openViews(REP).at(-1);
    return v?.definition.callback_id === 'forecast_submit' && !before.has(v.id) ? v : undefined;
  });
  // What the demo did: picking at once is refused, nothing offered yet.
  await expect(
    driver.selectOption(view.id, 'forecast_target_pick', 'FAM-120', { user: REP }),
  ).rejects.toThrow(/'FAM-120' is not among the options the app offered/);
  const picked = await pickInModal(driver, standin, view.id, 'forecast_target_pick', 'FAM-120', {
    user: REP,
  });
  expect(picked.ok).toBe(true);
  // The modal is redrawn for the pick: FAM-120's demand is shown.
  await standin.waitFor(() =>
    JSON.stringify(standin.store.views.get(view.id)?.definition.blocks ?? []).includes('FAM-120'),
  );
});

/** The change modal `user` has open once it is filled in (callback `callbackId`). */
const changeModal = (user: string, callbackId: string) =>
  standin.waitFor(() => {
    const v = standin.openViews(user).at(-1);
    return v?.definition.callback_id === callbackId ? v : undefined;
  });

it('105 resources: /capacity searches codes and names in any case, offers at most 100, and saves the pick', async () => {
  await driver.command('/capacity', { user: OPS, channel: 'C_SUPPLY' });
  const view = await changeModal(OPS, 'capacity_submit');
  const blocks = view.definition.blocks as { element?: { type?: string; action_id?: string } }[];
  expect(blocks[0]?.element).toMatchObject({ type: 'external_select', action_id: 'target_pick' });
  // A resource's capacity is in its own unit (hours for a line), not "units"; the form does
  // not know the resource yet, so it names the unit neutrally.
  const byId = (id: string) =>
    (view.definition.blocks as { block_id?: string }[]).find((b) => b.block_id === id);
  const kindBlock = byId('kind') as {
    element: { options: { text: { text: string } }[] };
  };
  expect(kindBlock.element.options.map((o) => o.text.text)).toEqual([
    "Set to (in the resource's unit)",
    "Change by (+/-, in the resource's unit)",
    'Change by % (+/-)',
  ]);
  const valueBlock = byId('value') as {
    hint: { text: string };
  };
  expect(valueBlock.hint.text).toBe(
    "In the resource's unit (hours for a line or a workforce) or percent, e.g. 1200, -150 or 15",
  );
  // No text the person reads says "units" (the kind's value `delta_units` is not shown).
  expect(JSON.stringify(view.definition)).not.toMatch(/"text":"[^"]*units/);

  const search = async (query: string) => {
    const res = await driver.suggest(view.id, 'target_pick', query, { user: OPS });
    expect(res.ok).toBe(true);
    expect(res.violations).toEqual([]);
    return res.options.map((o) => o.value);
  };
  const first100 = Array.from({ length: 100 }, (_, i) => `RES-${String(i + 1).padStart(3, '0')}`);
  expect(await search('')).toEqual(first100);
  const res100to105 = ['RES-100', 'RES-101', 'RES-102', 'RES-103', 'RES-104', 'RES-105'];
  expect(await search('res-10')).toEqual(res100to105);
  expect(await search('LINE 10')).toEqual(['RES-010', ...res100to105]);
  expect(await search('PAINT')).toEqual(['RES-042']);
  expect(await search('no such thing')).toEqual([]);

  expect(await search('Res-105')).toEqual(['RES-105']);
  const res = await driver.submitView(view.id, {
    values: changeModalValues(
      { target: 'RES-105', from: '2027-06', kind: 'set', value: '800', reason: 'staffing' },
      '/capacity',
    ),
  });
  expect(res.outcome.action).toBe('updated');
  const stored = await tdb.db
    .selectFrom('capacity_updates')
    .innerJoin('resources', 'resources.id', 'capacity_updates.resource_id')
    .select(['resources.code', 'capacity_updates.period', 'capacity_updates.kind'])
    .select('capacity_updates.value')
    .execute();
  expect(stored).toEqual([{ code: 'RES-105', period: '2027-06', kind: 'set', value: 800 }]);
  expect(driver.failures).toEqual([]);
});
