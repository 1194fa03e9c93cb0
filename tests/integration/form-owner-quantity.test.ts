/**
 * Two forms that took what the others refuse. The decision form's action owner: a bot or a
 * deactivated account was given the action (Make an S&OP action and Reassign refuse them under
 * their owner field); now refused the same way under that row's owner, nothing written. The
 * S&OE report's quantity: "1.200" was read as 1.2 units (the forecast and capacity forms
 * refuse it naming both readings); now refused under its field with the same advice, nothing
 * recorded. The real bot over HTTP against the Slack stand-in, real Postgres and Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { addDeactivatedUser, marchExecutiveCycle } from './action-fixture.js';
import { testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OTTO = 'U_OTTO'; // ops
const GONE = 'U_GONE'; // a deactivated Slack account

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'form-owner-quantity',
  members: { [EXEC]: 'exec', [OTTO]: 'ops' },
  clock,
});
let db: Db;
let central: string;

beforeAll(async () => {
  db = h.db;
  addDeactivatedUser(h.standin, GONE, 'gone');
  const { run } = await marchExecutiveCycle(db, 'form-owner-quantity');
  central = run.ids.central!;
});

const count = async (table: 'decisions' | 'actions' | 'deviations') =>
  (await db.selectFrom(table).select('id').execute()).length;

describe('the decision form', () => {
  it('refuses an owner who is a bot or deactivated under that row’s owner, and writes nothing', async () => {
    await h.sop(EXEC, 'decide');
    const form = await h.standin.waitFor(() => {
      const v = h.standin.openViews(EXEC).at(-1);
      return v?.definition.callback_id === 'decision_submit' ? v : undefined;
    }, 10_000);
    const res = await h.driver.submitView(form.id, {
      user: EXEC,
      values: {
        scenario: { pick: central },
        rationale: { text: 'Central protects service.' },
        a1_owner: { owner: h.standin.store.identity.botUserId },
        a1_due: { due: '2027-03-25' },
        a1_desc: { desc: 'Book weekend overtime on LINE-1' },
        a2_owner: { owner: GONE },
        a2_due: { due: '2027-03-26' },
        a2_desc: { desc: 'Call the frames supplier' },
        a3_owner: { owner: OTTO },
        a3_due: { due: '2027-03-26' },
        a3_desc: { desc: 'Count the pallets' },
      },
    });
    // Before: no errors, and the decision recorded with actions for the bot and for @gone.
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: {
        a1_owner:
          '@sopbot is a bot; an action is owned by a person. Name the person who takes it over.',
        a2_owner:
          "@gone's Slack account is deactivated: they would never see the action nor its reminders. Name someone who is still in the workspace.",
      },
    });
    expect([await count('decisions'), await count('actions')]).toEqual([0, 0]);
  });
});

describe('the S&OE report', () => {
  it('refuses a quantity of 1.200 under its field naming both readings, and records nothing', async () => {
    const before = await count('deviations');
    await h.driver.command('/sop', { user: OTTO, channel: 'C_SUPPLY', text: 'execution' });
    const view = await h.standin.waitFor(() => {
      const v = h.standin.openViews(OTTO).at(-1);
      return v?.definition.callback_id === 'execution_submit' ? v : undefined;
    }, 10_000);
    const res = await h.driver.submitView(view.id, {
      user: OTTO,
      values: {
        kind: { pick: 'supplier_delay' },
        code: { value: 'FAM-1' },
        day: { date: '2027-03-10' },
        expected: { value: '1.200' },
        actual: { value: '900' },
        comment: { value: 'Frames late' },
      },
    });
    // Before: read as 1.2 units expected, 900 now expected.
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: {
        expected:
          "'1.200' would be 1.2 units (a dot marks decimals): for 1,200 write 1200 or 1,200; for 1.2, write 1.2.",
      },
    });
    expect(await count('deviations')).toBe(before);
  });
});
