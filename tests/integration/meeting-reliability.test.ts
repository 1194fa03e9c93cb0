/**
 * The meeting when Slack refuses once or clicks overlap: a vote whose message Slack refused is
 * posted by the next `/sop vote` instead of being refused; a decision submitted twice at once
 * is one decision and two quiet acks; a decision whose log Slack refuses once is posted by
 * its `decision-publish` job, and the person who typed it is told it is recorded.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import {
  insertFamilies,
  insertRun,
  pollUntil,
  SCENARIOS,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const EXEC1 = 'U_EXEC1';
const OPS = 'U_OPS';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'meeting-reliability',
  members: { [PLANNER]: 'planner', [EXEC1]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let ids: Record<string, string>;

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);
const ephemerals = (user: string) => standin.ephemeralsFor(user).map((e) => e.text);
/** Vote messages in the executive channel: those with vote buttons. */
const voteMessages = () =>
  standin.messagesIn('C_EXEC').filter((m) => JSON.stringify(m.blocks ?? []).includes('vote_cast_'));
const execWith = (needle: string) =>
  standin.messagesIn('C_EXEC').filter((m) => m.text.includes(needle));

/** Waits until action `id` is snoozed until `iso`. */
const snoozedUntil = (id: string, iso: string) =>
  pollUntil(
    () =>
      db
        .selectFrom('actions')
        .select('snoozed_until')
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    (r) => r.snoozed_until?.toISOString() === iso,
  );

/** The open vote with its message, started by the planner when there is none. */
async function openVote() {
  const open = await db
    .selectFrom('polls')
    .selectAll()
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (!open) await h.sop(PLANNER, 'vote 24');
  return (await pollUntil(
    () => db.selectFrom('polls').selectAll().where('status', '=', 'open').executeTakeFirst(),
    (p) => p?.message_ts != null,
  ))!;
}

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC' })
    .execute();
  const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  ids = (
    await insertRun(db, {
      cycleId,
      runKey: 'reliability-run',
      periods: ['2027-03', '2027-04'],
      demand: { [fam.fam1]: 100 },
      price: { [fam.fam1]: 900 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
      scenarios: SCENARIOS,
    })
  ).ids;
});

describe('the meeting when Slack refuses or clicks overlap', () => {
  it('/sop vote whose message Slack refuses once: the vote is saved and the answer says so; /sop vote again posts its message, once, with its buttons', async () => {
    standin.failNext('chat.postMessage', { error: 'internal_error' });
    await h.sop(PLANNER, 'vote 24');
    expect(await waitFor(() => ephemerals(PLANNER)[0])).toBe(
      ':warning: Vote 1 is saved, but its message could not be posted (it has been logged). Type `/sop vote` again to post it.',
    );
    expect(voteMessages()).toEqual([]);

    // Typed again (a new command, a new request key): the open vote without a message is
    // posted and attached, not refused as "already open".
    await h.sop(PLANNER, 'vote 24');
    expect(await waitFor(() => ephemerals(PLANNER)[1])).toBe(
      'Vote 1 is open in <#C_EXEC> with 3 scenarios; you chair it (Close button).',
    );
    const posted = voteMessages();
    expect(posted).toHaveLength(1);
    for (const id of ['vote_cast_1', 'vote_cast_2', 'vote_cast_3', 'vote_close'])
      expect(JSON.stringify(posted[0]!.blocks)).toContain(`"action_id":"${id}"`);
    expect(
      await db.selectFrom('polls').select(['id', 'status', 'channel_id', 'message_ts']).execute(),
    ).toEqual([{ id: '1', status: 'open', channel_id: 'C_EXEC', message_ts: posted[0]!.ts }]);

    // With its message posted, a third /sop vote is refused: the vote is there to close.
    await h.sop(PLANNER, 'vote 24');
    expect(await waitFor(() => ephemerals(PLANNER)[2])).toBe(
      ':warning: A vote is already open for 2027-03 (vote 1); its chair closes it with the Close button.',
    );
    expect(voteMessages()).toHaveLength(1);
  });

  it('the same decision submitted twice at once (a Slack retry overlapping the first): one decision, both acked without an error', async () => {
    const poll = await openVote();
    await h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_close', { user: PLANNER });
    const modal = await waitFor(() => {
      const v = standin.openViews(PLANNER).at(-1);
      return v?.definition.callback_id === 'decision_submit' ? v : undefined;
    });
    // Two actions, both due 2027-03-25 (10 days after the clock's 2027-03-15).
    const values = {
      scenario: { pick: ids.central! },
      rationale: { text: 'Central protects service.' },
      a1_owner: { owner: OPS },
      a1_due: { due: '2027-03-25' },
      a1_desc: { desc: 'Hire operators' },
      a2_owner: { owner: OPS },
      a2_due: { due: '2027-03-25' },
      a2_desc: { desc: 'Book overtime' },
    };
    const [r1, r2] = await Promise.all([
      h.driver.submitView(modal.id, { user: PLANNER, values }),
      h.driver.submitView(modal.id, { user: PLANNER, values }),
    ]);
    // Both requests are the one decision: an empty ack each (the modal closes), no errors.
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(JSON.stringify([r1.body, r2.body])).not.toContain('response_action');
    const decisions = await db.selectFrom('decisions').select(['id', 'poll_id']).execute();
    expect(decisions).toEqual([{ id: decisions[0]!.id, poll_id: poll.id }]);
    const actions = await db.selectFrom('actions').select('description').orderBy('id').execute();
    expect(actions.map((a) => a.description)).toEqual(['Hire operators', 'Book overtime']);
    // Its decision-publish job posts the log once, in the vote's thread, and DMs the owner
    // once per action.
    const thread = () =>
      standin
        .threadReplies('C_EXEC', poll.message_ts!)
        .filter((m) => m.text.includes('Central protects service'));
    await waitFor(() => thread().length === 1);
    await waitFor(() => standin.messagesIn(`D_${OPS}`).length === 2);
  });

  it('/sop decide whose decision-log post Slack refuses once: recorded, the answer says so (no "try again"), and the job posts the log', async () => {
    standin.failNext('chat.postMessage', { error: 'internal_error' });
    const before = ephemerals(EXEC1).length;
    const postsBefore = standin.callsTo('chat.postMessage').length;
    // The cycle has decision 1 (the vote's): this is decision 2, superseding it.
    await h.sop(
      EXEC1,
      'decide cautious "Cash is tight this quarter" supersedes "the budget was cut"',
    );
    const answer = await waitFor(() => ephemerals(EXEC1)[before]);
    expect(answer).toBe('Decision 2 recorded: Adopt the Cautious scenario.');
    // The refused post was the decision log's; the job's next attempt posts it, once.
    await waitFor(() => execWith('Cash is tight this quarter').length === 1);
    const refused = standin
      .callsTo('chat.postMessage')
      .slice(postsBefore)
      .filter((c) => c.response.error === 'internal_error');
    expect(refused.map((c) => c.args.channel)).toEqual(['C_EXEC']);
    expect(execWith('Cash is tight this quarter')[0]!.text).toContain('Cautious adopted');
    expect(ephemerals(EXEC1).slice(before)).toEqual([answer]);
    expect(await db.selectFrom('decisions').select('id').orderBy('id').execute()).toEqual([
      { id: '1' },
      { id: '2' },
    ]);
  });

  it('Snooze 1 working day on a Saturday, on an action due in 5 days: the reminder on Monday says it is due in 3 days, not "Due today"', async () => {
    const dm = standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes('#1 Hire operators'))!;
    // Due 2027-03-25; snoozed on Saturday 2027-03-20 10:00 UTC (the company's zone is UTC)
    // until Monday 2027-03-22 10:00 (Sunday is no working day), when 3 days are left (22 → 25).
    clock.set('2027-03-20T10:00:00Z');
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_snooze_1d', { user: OPS });
    await snoozedUntil('1', '2027-03-22T10:00:00.000Z');
    const before = standin.messagesIn(`D_${OPS}`).length;

    clock.set('2027-03-22T10:00:00Z');
    expect(
      await h.comeDue(
        'action-reminder',
        { actionId: '1', kind: 'due', occurrence: 'snooze-2027-03-22T10:00:00.000Z' },
        'notifications',
      ),
    ).toEqual({ result: 'sent' });
    const sent = standin.messagesIn(`D_${OPS}`).slice(before);
    expect(sent.map((m) => m.text)).toEqual([
      ':bell: Reminder, due in 3 days: #1 Hire operators (due 2027-03-25)',
    ]);
  });

  it('Snooze 1 working day, then Snooze 1 week: the 1-day reminder is superseded and stays silent; the 1-week one is sent', async () => {
    const dm = standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes('#2 Book overtime'))!;
    // Due 2027-03-25. On Saturday 2027-03-20, Snooze 1 working day at 10:00:00 (until Monday
    // the 22nd 10:00:00), then 1 week at 10:00:05 (a week is Saturday the 27th: until Monday
    // the 29th 10:00:05): the action is snoozed until the 29th.
    clock.set('2027-03-20T10:00:00Z');
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_snooze_1d', { user: OPS });
    await snoozedUntil('2', '2027-03-22T10:00:00.000Z');
    clock.set('2027-03-20T10:00:05Z');
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_snooze_1w', { user: OPS });
    await snoozedUntil('2', '2027-03-29T10:00:05.000Z');
    const before = standin.messagesIn(`D_${OPS}`).length;

    // The 22nd: the first snooze's job comes due, but the action is snoozed until the 29th.
    clock.set('2027-03-22T10:00:00Z');
    expect(
      await h.comeDue(
        'action-reminder',
        { actionId: '2', kind: 'due', occurrence: 'snooze-2027-03-22T10:00:00.000Z' },
        'notifications',
      ),
    ).toEqual({ result: 'snoozed' });
    expect(standin.messagesIn(`D_${OPS}`)).toHaveLength(before);

    // The 29th, 4 days past the due date: the current snooze's reminder is sent, as overdue.
    clock.set('2027-03-29T10:00:05Z');
    expect(
      await h.comeDue(
        'action-reminder',
        { actionId: '2', kind: 'overdue', occurrence: 'snooze-2027-03-29T10:00:05.000Z' },
        'notifications',
      ),
    ).toEqual({ result: 'sent' });
    expect(
      standin
        .messagesIn(`D_${OPS}`)
        .slice(before)
        .map((m) => m.text),
    ).toEqual([':warning: Overdue by 4 days: #2 Book overtime (due 2027-03-25)']);
  });

  it('"Add another action" clicked twice at once: one row added, the stale redraw (hash_conflict) is ignored, no apology', async () => {
    const dms = standin.messagesIn(`D_${EXEC1}`).length;
    const eph = ephemerals(EXEC1).length;
    await h.sop(EXEC1, 'decide');
    const modal = await waitFor(() => {
      const v = standin.openViews(EXEC1).at(-1);
      return v?.definition.callback_id === 'decision_submit' ? v : undefined;
    });
    const updates = standin.callsTo('views.update').length;
    await Promise.all([
      h.driver.selectOption(modal.id, 'decision_add_action', null, { user: EXEC1 }),
      h.driver.selectOption(modal.id, 'decision_add_action', null, { user: EXEC1 }),
    ]);
    // Both clicks carry the form's hash: the first redraw is taken, the second refused.
    await waitFor(() => standin.callsTo('views.update').length === updates + 2);
    expect(
      standin
        .callsTo('views.update')
        .slice(updates)
        .map((c) => (c.response.ok ? 'ok' : c.response.error))
        .sort(),
    ).toEqual(['hash_conflict', 'ok']);
    // Three rows to start with, one more: a1..a4.
    const rows = JSON.stringify(standin.openViews(EXEC1).at(-1)!.definition.blocks).match(
      /a\d+_desc/g,
    );
    expect(rows).toEqual(['a1_desc', 'a2_desc', 'a3_desc', 'a4_desc']);
    // Give an apology the time it took before (it was sent right after the refusal).
    await new Promise((r) => setTimeout(r, 500));
    expect(standin.messagesIn(`D_${EXEC1}`)).toHaveLength(dms);
    expect(ephemerals(EXEC1)).toHaveLength(eph);
  });
});
