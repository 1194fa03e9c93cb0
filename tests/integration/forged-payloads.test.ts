/**
 * What a member can forge, the bot checks again: a button whose value names what the clicker
 * has no right to (a scenario of another cycle's run, someone else's vote or action), and a
 * form whose private_metadata does (a vote the submitter does not chair, a scenario form
 * opened for someone without the role). Each forged payload is sent as Slack would relay it,
 * signed, to the real bot over HTTP (buttons in a message the bot posted with the forged value,
 * forms opened with the bot's token on the forger's trigger), against real Postgres and Redis;
 * the refusal names who may do it, from the policy's row, and nothing is written.
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
import { createLogger } from '../../src/logger.js';
import { handOverDecision, recordDecision } from '../../src/services/decisions.js';
import { scenarioVersion } from '../../src/services/scenarios.js';
import { decisionModal } from '../../src/slack/presenters/decision.js';
import { scenarioModal } from '../../src/slack/presenters/scenario.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import {
  insertFamilies,
  insertMarchRun,
  pollUntil,
  settledJob,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const CHAIR = 'U_CHAIR'; // planner: opens the vote, so chairs it
const PAT = 'U_PAT'; // planner, chairs nothing
const EXEC = 'U_EXEC';
const OTTO = 'U_OTTO'; // ops

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'forged-payloads',
  members: { [CHAIR]: 'planner', [PAT]: 'planner', [EXEC]: 'exec', [OTTO]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let slack: WebClient;
let cycleId: number;
let pollId: string;
/** The vote's message in #sop-exec. */
let pollTs: string;
/** The March run's scenario ids (the vote's options). */
let ids: Record<string, string>;
/** Central of February's run: a scenario of another cycle. */
let februaryCentral: string;

const count = async (
  table: 'votes' | 'decisions' | 'cycle_scenarios' | 'audit_log' | 'actions' | 'job_outbox',
) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A message the bot posts in `channel` with one button `actionId` carrying `value`. */
async function buttonWith(channel: string, actionId: string, value: string): Promise<string> {
  const posted = await slack.chat.postMessage({
    channel,
    text: 'Forged button',
    blocks: [
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: actionId, value, text: { type: 'plain_text', text: 'Go' } },
        ],
      },
    ],
  });
  return posted.ts ?? '';
}

/** `user` clicks that button: the private answer they get. */
const click = async (user: string, actionId: string, value: string, channel = 'C_EXEC') => {
  const ts = await buttonWith(channel, actionId, value);
  return nextEphemeral(standin, user, () => h.driver.clickButton(channel, ts, actionId, { user }));
};

/** A view opened for `user` with the bot's token on a trigger of theirs: its id. */
async function openFor(user: string, view: object): Promise<string> {
  const opened = await slack.views.open({
    trigger_id: standin.issueTrigger(user),
    view: view as Parameters<WebClient['views']['open']>[0]['view'],
  });
  return opened.view?.id ?? '';
}

beforeAll(async () => {
  ({ db, standin } = h);
  slack = new WebClient(h.env.SLACK_BOT_TOKEN, { slackApiUrl: standin.apiUrl });
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
  const fam = await insertFamilies(db);
  const february = await insertCycle(db, { month: '2027-02', phase: 'closed' });
  februaryCentral = (await insertMarchRun(db, february, fam, 'forged-feb')).ids.central!;
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  ({ ids } = await insertMarchRun(db, cycleId, fam, 'forged-mar'));
  await h.sop(CHAIR, 'vote 24');
  const poll = await pollUntil(
    () => db.selectFrom('polls').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst(),
    (p) => p?.message_ts != null,
  );
  pollId = poll!.id;
  pollTs = poll!.message_ts!;
}, 60_000);

describe('a forged button', () => {
  it("a vote for a scenario of another cycle's run is refused, and nothing is counted", async () => {
    const votes = await count('votes');
    expect(await click(EXEC, 'vote_cast_1', `${pollId}:${februaryCentral}`)).toBe(
      `:warning: Scenario ${februaryCentral} is not an option of this vote.`,
    );
    expect(await count('votes')).toBe(votes);
  });

  it("Close on someone else's vote is refused, naming its chair and the policy's roles", async () => {
    // Before: "… or an admin can close this vote", the role written by hand.
    expect(await click(PAT, 'vote_close', pollId)).toBe(
      `Only the chair <@${CHAIR}> or Admin members can close this vote.`,
    );
    const poll = await db
      .selectFrom('polls')
      .select('status')
      .where('id', '=', pollId)
      .executeTakeFirstOrThrow();
    expect(poll.status).toBe('open');
  });
});

describe('a forged form', () => {
  const decisionValues = () => ({
    scenario: { pick: ids.central! },
    rationale: { text: 'Forged: service first.' },
  });

  it('a decision form naming a vote its submitter does not chair is refused, nothing written', async () => {
    const form = await openFor(
      PAT,
      decisionModal(
        { cycleId, pollId, rows: 0, supersedes: null },
        [{ scenarioId: ids.central!, label: 'Central', tradeOff: null }],
        ids.central!,
      ),
    );
    const before = await count('decisions');
    const res = await h.driver.submitView(form, { user: PAT, values: decisionValues() });
    // Before: "Only executives, admins or the chair of the vote record decisions." A form's
    // error waits for no name Slack has not given the bot yet (the answer is due within 3 s):
    // the chair's id.
    expect(res.outcome).toEqual({
      action: 'errors',
      errors: {
        rationale:
          'Only Executive or Admin members or the chair of the vote, @U_CHAIR, record its decision.',
      },
    });
    expect(await count('decisions')).toBe(before);
  });

  it("a decision form naming no vote asks /sop decide's row, decision.decide", async () => {
    const form = await openFor(
      PAT,
      decisionModal(
        { cycleId, pollId: null, rows: 0, supersedes: null },
        [{ scenarioId: ids.central!, label: 'Central', tradeOff: null }],
        ids.central!,
      ),
    );
    const before = await count('decisions');
    const res = await h.driver.submitView(form, { user: PAT, values: decisionValues() });
    expect(res.outcome).toEqual({
      action: 'errors',
      errors: {
        rationale:
          'Only Executive or Admin members can record a decision without a vote; your role is Planner. An admin can change it with "/sop role @you <role>".',
      },
    });
    expect(await count('decisions')).toBe(before);
  });

  it('a scenario form opened for operations is refused with the policy row, nothing saved', async () => {
    const form = await openFor(
      OTTO,
      scenarioModal(
        {
          cycleId,
          month: '2027-03',
          name: 'evil',
          channel: 'C_GENERAL',
          seen: scenarioVersion(null),
        },
        null,
      ),
    );
    const [scenarios, audits] = [await count('cycle_scenarios'), await count('audit_log')];
    const res = await h.driver.submitView(form, { user: OTTO, values: { label: { v: 'Evil' } } });
    expect(res.outcome).toMatchObject({ action: 'updated' });
    // Before: "Only planners and admins set scenarios.", the roles written by hand.
    expect(JSON.stringify(standin.openViews(OTTO).at(-1)?.definition.blocks)).toContain(
      ':warning: Only Planner or Admin members can set a scenario; your role is Operations.',
    );
    expect(await count('cycle_scenarios')).toBe(scenarios);
    expect(await count('audit_log')).toBe(audits);
  });
});

describe("a forged button on someone else's follow-up action", () => {
  it('Done and Snooze are refused, naming its owner and the roles that may; it stays open', async () => {
    const deps = { db, queue: h.queues, clock };
    const rec = await recordDecision(deps, {
      cycleId,
      pollId: null,
      scenarioId: ids.central!,
      rationale: 'Service first',
      decidedBy: EXEC,
      requestKey: 'forged-payloads-decision',
      actions: [{ owner: EXEC, description: 'Approve the overtime budget', dueDate: '2027-03-30' }],
    });
    await handOverDecision({ ...deps, logger: createLogger('silent', 'test') }, rec);
    // The decision log goes to #sop-exec by a job; it is waited for here, so that it is not
    // counted as a post of the next test's forged form.
    await settledJob(h.queues, 'posts', jobId('decision-publish', { decisionId: rec.decision.id }));
    const id = rec.actions[0]!.id;
    // Before: "… (the owner) or an admin can close this action."
    expect(await click(OTTO, 'action_done', id, 'C_GENERAL')).toBe(
      `Only <@${EXEC}> (the owner) or Admin members can close this action.`,
    );
    expect(await click(OTTO, 'action_snooze_1w', id, 'C_GENERAL')).toBe(
      `Only <@${EXEC}> (the owner) or Admin members can snooze this action.`,
    );
    const row = await db
      .selectFrom('actions')
      .select(['status', 'snoozed_until'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'open', snoozed_until: null });
  });
});

describe('a forged "Make an S&OP action" form', () => {
  it('whose message is changed to one in another channel is refused: no action, nothing posted there', async () => {
    // Pat runs the shortcut on a message in #sop-supply, then changes the form's metadata to
    // name the vote's message in #sop-exec (a channel the bot is in, theirs to pick) and submits.
    const said = standin.store.addMessage({
      channel: 'C_SUPPLY',
      text: 'The pallets are short again',
      source: 'api',
      user: OTTO,
    });
    await h.driver.messageShortcut('C_SUPPLY', said.ts, 'make_sop_action', { user: PAT });
    const form = await standin.waitFor(() =>
      standin.openViews(PAT).find((v) => v.definition.callback_id === 'make_sop_action_submit'),
    );
    const meta = JSON.parse(String(form.definition.private_metadata)) as Record<string, string>;
    expect([meta.c, meta.t]).toEqual(['C_SUPPLY', said.ts]);
    await slack.views.update({
      view_id: form.id,
      view: {
        ...(form.definition as object),
        private_metadata: JSON.stringify({ ...meta, c: 'C_EXEC', t: pollTs }),
      } as Parameters<WebClient['views']['update']>[0]['view'],
    });
    const [actions, audits, jobs] = [
      await count('actions'),
      await count('audit_log'),
      await count('job_outbox'),
    ];
    // Every message in #sop-exec, thread replies too.
    const inExec = () => standin.store.messages.filter((m) => m.channel === 'C_EXEC').length;
    const before = inExec();
    const res = await h.driver.submitView(form.id, {
      user: PAT,
      values: { owner: { value: OTTO } },
    });
    expect(res.outcome).toMatchObject({ action: 'updated' });
    expect(JSON.stringify(standin.openViews(PAT).at(-1)?.definition.blocks)).toContain(
      ':warning: This form no longer names the message it was opened on, so no action was made. Close it and use the shortcut on the message again.',
    );
    expect(await count('actions')).toBe(actions);
    expect(await count('audit_log')).toBe(audits);
    expect(await count('job_outbox')).toBe(jobs);
    expect(inExec()).toBe(before);
  });
});
