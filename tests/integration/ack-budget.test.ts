/**
 * A form that asks Slack before its ack answers within Slack's 3 s whatever Slack does. The
 * decision form asked users.info about each action owner, then again for the names of its
 * refusals, all before the ack: with Slack slow, the executive saw Slack's own error, and the
 * decision was recorded after the late ack while the form stayed open. Now the owners are
 * asked for at most OWNER_CHECK_MS, one Slack says nothing of in that time is refused under
 * their owner, nothing recorded, and a refusal's names are the ones known (never waited on).
 * Make an S&OP action and Reassign ask the same check, so the same holds of them. The real bot
 * over HTTP against the Slack stand-in, real Postgres and Redis; Slack's slowness is a
 * users.info call the stand-in holds until the test lets it go.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { storedUserNames } from '../../db/queries/user-names.js';
import { recordedLogs } from '../helpers/log-lines.js';
import { marchExecutiveCycle } from './action-fixture.js';
import { testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OTTO = 'U_OTTO'; // ops, owns the action

const logs = recordedLogs();
const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'ack-budget',
  members: { [EXEC]: 'exec', [OTTO]: 'ops' },
  clock,
  botLogger: logs.logger,
});
let db: Db;
let central: string;

beforeAll(async () => {
  db = h.db;
  const { run } = await marchExecutiveCycle(db, 'ack-budget');
  central = run.ids.central!;
});

const count = async (table: 'decisions' | 'actions') =>
  (await db.selectFrom(table).select('id').execute()).length;

/** The lines saying Slack's users.info was late for an owner check. */
const lateLines = () => logs.lines.filter((l) => l.msg.startsWith('users.info was late'));

async function decisionForm() {
  await h.sop(EXEC, 'decide');
  return h.standin.waitFor(() => {
    const v = h.standin.openViews(EXEC).at(-1);
    return v?.definition.callback_id === 'decision_submit' ? v : undefined;
  }, 10_000);
}

const values = () => ({
  scenario: { pick: central },
  rationale: { text: 'Central protects service.' },
  a1_owner: { owner: OTTO },
  a1_due: { due: '2027-03-25' },
  a1_desc: { desc: 'Book weekend overtime on LINE-1' },
});

describe('the decision form, Slack slow to say who owns an action', () => {
  it('is answered while Slack still holds the question: the owner refused saying so, nothing recorded, logged once', async () => {
    const form = await decisionForm();
    // Slack holds the question about OTTO. Let go after 5 s at the latest, so that a bot
    // waiting for it answers late (as it did) rather than never.
    const held = h.standin.holdNext('users.info', { channel: OTTO });
    void held.reached.then(() => setTimeout(() => held.release(), 5_000));
    const res = await h.driver.submitView(form.id, { user: EXEC, values: values() });
    // Before: answered after the held call (Slack's "trouble connecting"), the form left open,
    // and the decision recorded anyway.
    expect(res.ok).toBe(true);
    // Nobody knew OTTO's name yet (Slack has not answered): the field error shows the id.
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: {
        a1_owner: 'Slack did not say in time whether @U_OTTO can own an action; try again.',
      },
    });
    expect([await count('decisions'), await count('actions')]).toEqual([0, 0]);
    expect(h.standin.openViews(EXEC).at(-1)?.id).toBe(form.id);
    held.release();
    // Logged once, with its stack.
    expect(lateLines()).toHaveLength(1);
    expect(lateLines()[0]?.err?.stack).toContain('notAnOwner');
  });

  it('Slack answering 429 for the owner: refused the same way at once, nothing recorded, logged once', async () => {
    const form = h.standin.openViews(EXEC).at(-1);
    expect(form?.definition.callback_id).toBe('decision_submit');
    // The held question's late answer keeps OTTO's name.
    await h.standin.waitFor(async () => (await storedUserNames(db, [OTTO])).get(OTTO));
    h.standin.failNext('users.info', { status: 429, retryAfter: 30, channel: OTTO });
    const failed = () => logs.lines.filter((l) => l.msg.startsWith('users.info failed'));
    const res = await h.driver.submitView(form!.id, { user: EXEC, values: values() });
    expect(res.ok).toBe(true);
    // OTTO's name is known now: Slack answered the held question after the form's answer.
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: { a1_owner: 'Slack did not say in time whether @otto can own an action; try again.' },
    });
    expect(await count('decisions')).toBe(0);
    expect(failed()).toHaveLength(1);
    expect(failed()[0]?.err?.stack).toBeTruthy();
  });

  it('sent again with Slack answering, the same form records the decision with its action', async () => {
    const form = h.standin.openViews(EXEC).at(-1);
    expect(form?.definition.callback_id).toBe('decision_submit');
    const res = await h.driver.submitView(form!.id, { user: EXEC, values: values() });
    expect(res.ok).toBe(true);
    expect(res.body).toBe('');
    const actions = await db.selectFrom('actions').select(['owner', 'description']).execute();
    expect(await count('decisions')).toBe(1);
    expect(actions).toEqual([{ owner: OTTO, description: 'Book weekend overtime on LINE-1' }]);
    // Nothing more was late.
    expect(lateLines()).toHaveLength(1);
  });
});
