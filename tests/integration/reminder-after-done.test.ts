/**
 * A reminder under way when Done is recorded: the job read the action open, then Done
 * committed before the reminder's ledger claim. The status is read again once the key is
 * claimed, so no DM goes out and the result is `not_open`. Ordered, not raced: the
 * reminder's first call to Slack (opening the owner's DM) records Done before it goes on.
 * Real Postgres and the Slack stand-in over HTTP.
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { markDone, sendReminder } from '../../src/services/actions.js';
import { recordDecision } from '../../src/services/decisions.js';
import { actionDm } from '../../src/slack/presenters/actions.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';

// The action is due 2027-03-17: its "before" reminder is on 2027-03-15 at 09:00 (UTC).
const clock = testClock('2027-03-15T09:00:00Z');
const h = useHarness({
  label: 'reminder-after-done',
  members: { [EXEC]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let actionId: string;

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  const run = await insertRun(db, {
    cycleId,
    runKey: 'reminder-done',
    periods: ['2027-03'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  // Its jobs are not handed to the queue: the test sends the reminder itself.
  const rec = await recordDecision(
    { db, queue: h.queues, clock },
    {
      cycleId,
      pollId: null,
      scenarioId: run.ids.central!,
      rationale: 'Service first',
      decidedBy: EXEC,
      requestKey: 'reminder-done-decision',
      actions: [{ owner: OPS, dueDate: '2027-03-17', description: 'Book weekend overtime' }],
    },
  );
  actionId = rec.actions[0]!.id;
}, 60_000);

describe('a reminder and Done', () => {
  it('Done committed before the reminder claims its DM: no DM, not_open', async () => {
    const slack = new WebClient(h.env.SLACK_BOT_TOKEN, { slackApiUrl: standin.apiUrl });
    // The owner's DM channel is not known yet: the reminder opens it, after it has read the
    // action open. Done is recorded then, before the reminder claims its ledger key.
    const open = slack.conversations.open.bind(slack.conversations);
    let doneFirst = false;
    slack.conversations.open = (async (args: Parameters<typeof open>[0]) => {
      if (!doneFirst) {
        doneFirst = (await markDone({ db, queue: h.queues, clock }, actionId, OPS)).changed;
      }
      return open(args);
    }) as typeof slack.conversations.open;

    const result = await sendReminder(
      { db, queue: h.queues, clock, slack },
      { actionId, kind: 'before', occurrence: '2027-03-15' },
      (a, kind, daysLeft) => actionDm(a, kind, daysLeft),
    );
    expect(doneFirst).toBe(true);
    // Before the fix: 'sent', and the owner reminded of an action they had just closed.
    expect(result).toBe('not_open');
    // The decision's own assignment DM may reach the owner meanwhile (the bot's outbox relay
    // delivers the decision's jobs at its next tick, later on a loaded machine): no other DM.
    expect(
      standin
        .messagesIn(`D_${OPS}`)
        .filter((m) => !String(m.text).startsWith(':memo: You own a follow-up action')),
    ).toEqual([]);
    // Nothing left claimed under the reminder's key.
    expect(
      await db
        .selectFrom('slack_posts')
        .select('post_key')
        .where('post_key', 'like', `reminder:${actionId}:%`)
        .execute(),
    ).toEqual([]);
  });
});
