/**
 * `/sop actions reassign #id @person`: a follow-up action given to another owner. OTTO (ops)
 * owns three actions of one decision, LEFT (ops, who has left: Slack refuses their DMs) one,
 * EXEC one. OTTO hands one on to NINA himself; an admin gives NINA another; a sales rep is
 * refused; each bad input is refused naming what to fix, with nothing changed; a Slack retry
 * of the command does it once; the next morning's reminders go to NINA and not to OTTO; and
 * LEFT's action is given to NINA although Slack refuses LEFT's DM, after which `/sop status`
 * no longer shows the admins what was refused to LEFT about it. The real bot and worker over
 * HTTP against the Slack stand-in, real Postgres and Redis, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
import { createLogger } from '../../src/logger.js';
import { handOverDecision, recordDecision } from '../../src/services/decisions.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { nextEphemeral } from '../helpers/slack.js';
import {
  actionButtonsBlock,
  actionState,
  addDeactivatedUser,
  handoverResult,
  marchExecutiveCycle,
} from './action-fixture.js';
import { runToEnd, settledJob, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const ADA = 'U_ADA'; // admin
const OTTO = 'U_OTTO'; // ops, owns three actions
const NINA = 'U_NINA'; // ops, takes them over
const SAM = 'U_SAM'; // sales rep, owns none
const LEFT = 'U_LEFT'; // ops, has left: Slack refuses their DMs
const GONE = 'U_GONE'; // a deactivated Slack account (users.info `deleted: true`)

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'action-reassign',
  members: {
    [EXEC]: 'exec',
    [ADA]: 'admin',
    [OTTO]: 'ops',
    [NINA]: 'ops',
    [SAM]: 'sales',
    [LEFT]: 'ops',
  },
  clock,
});
let db: Db;
let standin: Standin;
let driver: Driver;
let a1: string; // OTTO: Book weekend overtime, due 2027-03-17
let a2: string; // OTTO: Call <!channel> & the supplier, due 2027-03-17
let a3: string; // OTTO: Count the safety stock, due 2027-03-24 (done)
let a4: string; // LEFT: Order resin <for> April, due 2027-03-20
let a5: string; // EXEC: Approve the overtime budget, due 2027-03-30

const dms = (user: string) => standin.messagesIn(`D_${user}`);
const texts = (user: string) => dms(user).map((m) => m.text);
/** `/sop <text>` typed by `user`: the answer they see. */
const sop = (user: string, text: string) => nextEphemeral(standin, user, () => h.sop(user, text));
const remind = (actionId: string, kind: 'before' | 'due' | 'overdue', occurrence: string) =>
  h.runAgain('action-reminder', { actionId, kind, occurrence }, 'notifications');

const stateOf = (id: string) => actionState(db, id);
const handover = (entry: string) => handoverResult(h, entry);
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const buttons = actionButtonsBlock;
const HEAD = ':memo: You own a follow-up action from the executive S&OP meeting';

beforeAll(async () => {
  ({ db, standin, driver } = h);
  addDeactivatedUser(standin, GONE, 'gone');
  const { cycleId, run } = await marchExecutiveCycle(db, 'action-reassign');
  // LEFT has left: Slack refuses the DM that gives them their action.
  standin.failNext('chat.postMessage', { error: 'account_inactive', channel: `D_${LEFT}` });
  const deps = { db, queue: h.queues, clock };
  const rec = await recordDecision(deps, {
    cycleId,
    pollId: null,
    scenarioId: run.ids.central!,
    rationale: 'Service first',
    decidedBy: EXEC,
    requestKey: 'reassign-decision',
    actions: [
      { owner: OTTO, description: 'Book weekend overtime', dueDate: '2027-03-17' },
      { owner: OTTO, description: 'Call <!channel> & the supplier', dueDate: '2027-03-17' },
      { owner: OTTO, description: 'Count the safety stock', dueDate: '2027-03-24' },
      { owner: LEFT, description: 'Order resin <for> April', dueDate: '2027-03-20' },
      { owner: EXEC, description: 'Approve the overtime budget', dueDate: '2027-03-30' },
    ],
  });
  [a1, a2, a3, a4, a5] = rec.actions.map((a) => a.id) as [string, string, string, string, string];
  await handOverDecision({ ...deps, logger: createLogger('silent', 'test') }, rec);
  // The owners' DMs went out, but LEFT's (refused, recorded for the admins).
  const publish = await settledJob(
    h.queues,
    'posts',
    jobId('decision-publish', { decisionId: rec.decision.id }),
  );
  expect(await publish.getState()).toBe('failed');
  expect(texts(OTTO)).toHaveLength(3);
  await db
    .updateTable('actions')
    .set({ status: 'done', done_at: clock.now(), done_by: OTTO })
    .where('id', '=', a3)
    .execute();
  // Before any handover, the morning reminder of 2027-03-15 goes to OTTO: one digest of his two
  // actions due on the 17th.
  clock.set('2027-03-15T09:00:00Z');
  expect(await remind(a1, 'before', '2027-03-15')).toEqual({ result: 'sent' });
  expect(await remind(a2, 'before', '2027-03-15')).toEqual({ result: 'in_digest' });
  expect(texts(OTTO).at(-1)).toBe(
    `:bell: 2 follow-up actions need your attention today: #${a1} Book weekend overtime (due in 2 days); #${a2} Call &lt;!channel&gt; &amp; the supplier (due in 2 days)`,
  );
}, 60_000);

describe('giving an action to another owner', () => {
  it('the owner hands it on: NINA owns it, gets its DM with Done and Snooze, and the handover is audited', async () => {
    clock.set('2027-03-15T10:00:00Z');
    const ottoBefore = dms(OTTO).length;
    const answer = await sop(OTTO, `actions reassign #${a1} <@${NINA}|nina>`);
    expect(answer).toBe(
      `Action #${a1} Book weekend overtime (due 2027-03-17) is now <@${NINA}>'s; it was yours. They get a DM with it, and its reminders from now on.`,
    );
    const s = await stateOf(a1);
    expect(s.owner).toBe(NINA);
    expect(s.reassigned).toHaveLength(1);
    expect(s.reassigned[0]!.actor).toBe(OTTO);
    expect(s.reassigned[0]!.details).toMatchObject({ from: OTTO, to: NINA });
    // OTTO asked for it himself: no DM tells him what his answer just did.
    // His DM giving it to him and the digest that listed it lose their buttons.
    expect(await handover(s.reassigned[0]!.id)).toEqual({
      newOwner: 'sent',
      oldOwner: 'not_needed',
      buttonsRemoved: 2,
      already: 0,
      notEdited: 0,
    });
    const dm = dms(NINA).at(-1)!;
    expect(dm.text).toBe(
      `${HEAD}: #${a1} Book weekend overtime (due 2027-03-17). <@${OTTO}> handed it over to you.`,
    );
    expect(dm.blocks).toEqual([
      section(`${HEAD}\n*#${a1}* Book weekend overtime\nDue *2027-03-17*`),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `<@${OTTO}> handed it over to you.` }],
      },
      buttons(a1),
    ]);
    expect(dms(NINA)).toHaveLength(1);
    expect(dms(OTTO)).toHaveLength(ottoBefore);
  });

  it("an admin gives someone else's action to NINA: NINA is told who gave it, OTTO that it is NINA's now", async () => {
    const answer = await sop(ADA, `actions reassign ${a2} <@${NINA}>`);
    expect(answer).toBe(
      `Action #${a2} Call &lt;!channel&gt; &amp; the supplier (due 2027-03-17) is now <@${NINA}>'s; it was <@${OTTO}>'s. They get a DM with it, and its reminders from now on.`,
    );
    const s = await stateOf(a2);
    expect(s.owner).toBe(NINA);
    expect(s.reassigned.map((r) => [r.actor, r.details])).toEqual([
      [ADA, expect.objectContaining({ from: OTTO, to: NINA })],
    ]);
    expect(await handover(s.reassigned[0]!.id)).toEqual({
      newOwner: 'sent',
      oldOwner: 'sent',
      buttonsRemoved: 2,
      already: 0,
      notEdited: 0,
    });
    expect(texts(NINA).at(-1)).toBe(
      `${HEAD}: #${a2} Call &lt;!channel&gt; &amp; the supplier (due 2027-03-17). <@${ADA}> gave it to you; it was <@${OTTO}>'s.`,
    );
    expect(texts(OTTO).at(-1)).toBe(
      `:arrow_right: Action #${a2} Call &lt;!channel&gt; &amp; the supplier (due 2027-03-17) is now <@${NINA}>'s: <@${ADA}> gave it to them. Its reminders go to them; you will not be reminded of it.`,
    );
  });

  it('the next reminders go to NINA, in her digest, and OTTO, who had the earlier one, gets none', async () => {
    clock.set('2027-03-17T09:00:00Z');
    const otto = dms(OTTO).length;
    const nina = dms(NINA).length;
    expect(await remind(a1, 'due', '2027-03-17')).toEqual({ result: 'sent' });
    expect(await remind(a2, 'due', '2027-03-17')).toEqual({ result: 'in_digest' });
    expect(texts(NINA).slice(nina)).toEqual([
      `:bell: 2 follow-up actions need your attention today: #${a1} Book weekend overtime (due today); #${a2} Call &lt;!channel&gt; &amp; the supplier (due today)`,
    ]);
    expect(dms(OTTO)).toHaveLength(otto);
  });

  it('a sales rep who does not own it is refused, naming who may; nothing changes', async () => {
    const answer = await sop(SAM, `actions reassign #${a1} <@${SAM}>`);
    expect(answer).toBe(
      `:warning: Only <@${NINA}>, its owner, or Admin members can give action #${a1} to someone else.`,
    );
    expect(await stateOf(a1)).toMatchObject({ owner: NINA, reassigned: [{ actor: OTTO }] });
  });
});

describe('what is refused, naming what to fix, with nothing changed', () => {
  const cases: [string, () => string, () => string][] = [
    [
      'an unknown action',
      () => `actions reassign #999999 <@${NINA}>`,
      () =>
        ':warning: There is no follow-up action #999999; `/sop actions all` lists them with their numbers.',
    ],
    [
      'not a number',
      () => `actions reassign overtime <@${NINA}>`,
      () =>
        ":warning: `overtime` is not an action's number; give it as #12 (`/sop actions` lists them). Usage: `/sop actions reassign #id @person`",
    ],
    [
      'no person',
      () => `actions reassign #${a5}`,
      () =>
        ":warning: Give the action's number and the person who takes it over. Usage: `/sop actions reassign #id @person` (`/sop actions` lists the numbers).",
    ],
    [
      'a done action',
      () => `actions reassign #${a3} <@${NINA}>`,
      () => `:warning: Action #${a3} is done: only an open action can be given to someone else.`,
    ],
    [
      'its owner already',
      () => `actions reassign #${a5} <@${EXEC}>`,
      () => `:warning: <@${EXEC}> owns action #${a5} already; name the person who takes it over.`,
    ],
    [
      'a channel',
      () => `actions reassign #${a5} <#C_EXEC|sop-exec>`,
      () =>
        ':warning: `&lt;#C_EXEC|sop-exec&gt;` is a channel, not a person: mention the one person who takes the action over with @. Usage: `/sop actions reassign #id @person`',
    ],
    [
      'a group mention',
      () => `actions reassign #${a5} <!here>`,
      () =>
        ':warning: `&lt;!here&gt;` is a group mention, not a person: mention the one person who takes the action over with @. Usage: `/sop actions reassign #id @person`',
    ],
    [
      'a bot',
      () => `actions reassign #${a5} <@U_SOPBOT|sopbot>`,
      () =>
        ':warning: <@U_SOPBOT> is a bot; an action is owned by a person. Name the person who takes it over.',
    ],
    [
      'someone Slack does not know in the workspace',
      () => `actions reassign #${a5} <@U_NOBODY>`,
      () =>
        ':warning: Slack knows no person `U_NOBODY` in this workspace; name someone who is in it.',
    ],
    [
      'a deactivated account',
      () => `actions reassign #${a5} <@${GONE}|gone>`,
      () =>
        `:warning: <@${GONE}>'s Slack account is deactivated: they would never see the action nor its reminders. Name someone who is still in the workspace.`,
    ],
  ];
  for (const [what, command, expected] of cases) {
    it(`${what}`, async () => {
      const before = await stateOf(a5);
      const done = await stateOf(a3);
      expect(await sop(EXEC, command())).toBe(expected());
      expect(await stateOf(a5)).toEqual(before);
      expect(await stateOf(a3)).toEqual(done);
    });
  }
});

describe('a Slack retry of the command', () => {
  it('gives the action once: one audit entry, one answer, one DM to the new owner', async () => {
    const nina = dms(NINA).length;
    const answers = standin.ephemeralsFor(EXEC).length;
    const first = await driver.command('/sop', {
      user: EXEC,
      channel: 'C_EXEC',
      text: `actions reassign #${a5} <@${NINA}>`,
    });
    expect(first.status).toBe(200);
    const retry = await driver.resend(first.request, { retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    await standin.waitFor(() => standin.ephemeralsFor(EXEC)[answers]);
    const s = await stateOf(a5);
    expect(s.owner).toBe(NINA);
    expect(s.reassigned).toHaveLength(1);
    await handover(s.reassigned[0]!.id);
    // Time for a second answer or job, were the retry to do anything.
    await new Promise((r) => setTimeout(r, 1500));
    expect(standin.ephemeralsFor(EXEC)).toHaveLength(answers + 1);
    expect((await stateOf(a5)).reassigned).toHaveLength(1);
    expect(texts(NINA).slice(nina)).toEqual([
      `${HEAD}: #${a5} Approve the overtime budget (due 2027-03-30). <@${EXEC}> handed it over to you.`,
    ]);
  });
});

describe('the owner has left (Slack refuses their DMs)', () => {
  it('the admins see what was refused to LEFT in /sop status; giving the action to NINA is not stopped by LEFT refusing the DM, and the refusals are no longer shown', async () => {
    clock.set('2027-03-18T09:00:00Z');
    // Their morning reminder is refused too.
    standin.failNext('chat.postMessage', { error: 'account_inactive', channel: `D_${LEFT}` });
    const reminder = await runToEnd(
      h.queues,
      'action-reminder',
      { actionId: a4, kind: 'before', occurrence: '2027-03-18' },
      'notifications',
    );
    expect(await reminder.getState()).toBe('failed');
    expect(await sop(ADA, 'status')).toContain(
      `:warning: *Undelivered since 2027-03-12*: 2 DMs to <@${LEFT}> (their Slack account is deactivated).`,
    );

    standin.failNext('chat.postMessage', { error: 'account_inactive', channel: `D_${LEFT}` });
    const answer = await sop(ADA, `actions reassign #${a4} <@${NINA}>`);
    expect(answer).toBe(
      `Action #${a4} Order resin &lt;for&gt; April (due 2027-03-20) is now <@${NINA}>'s; it was <@${LEFT}>'s. They get a DM with it, and its reminders from now on.`,
    );
    const s = await stateOf(a4);
    expect(s.owner).toBe(NINA);
    expect(await handover(s.reassigned[0]!.id)).toEqual({
      newOwner: 'sent',
      oldOwner: 'refused',
      buttonsRemoved: 0,
      already: 0,
      notEdited: 0,
    });
    expect(texts(NINA).at(-1)).toBe(
      `${HEAD}: #${a4} Order resin &lt;for&gt; April (due 2027-03-20). <@${ADA}> gave it to you; it was <@${LEFT}>'s.`,
    );
    expect(dms(LEFT)).toHaveLength(0);
    expect(await sop(ADA, 'status')).not.toContain('Undelivered');
    const open = await db
      .selectFrom('slack_refusals')
      .select('post_key')
      .where('conversation', '=', LEFT)
      .where('resolved_at', 'is', null)
      .execute();
    expect(open).toEqual([]);
  });
});
