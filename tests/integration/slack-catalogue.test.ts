/**
 * A catalogue bigger than a static select holds (100 options): the /forecast modal searches
 * families with an external select, the rep's own families first.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { type HttpTestBot, startHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers, type TestDb } from '../helpers/db.js';

const REP = 'U_ALICE';
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
  await insertMembers(tdb.db, { [REP]: 'sales' });
  await tdb.db
    .insertInto('member_families')
    .values(
      fams
        .filter((f) => ['FAM-120', 'FAM-121'].includes(f.code))
        .map((f) => ({ slack_user_id: REP, family_id: f.id })),
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
  expect(groups[1]?.options.map((o) => o.value)).toEqual([
    ...Array.from({ length: 10 }, (_, i) => `FAM-12${i}`).filter(
      (c) => !['FAM-120', 'FAM-121'].includes(c),
    ),
  ]);
});
