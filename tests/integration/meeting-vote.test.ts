/**
 * The vote's other paths through the stand-in: anonymous tally, quorum close with the chair's
 * DM button, "Add another action", Snooze moving a reminder, the deadline closing a vote,
 * and `/sop decide` without a vote.
 */
import { WebClient } from '@slack/web-api';
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

const ADMIN = 'U_ADMIN';
const PLANNER = 'U_PLAN';
const EXEC1 = 'U_EXEC1';
const EXEC2 = 'U_EXEC2';
const EXEC3 = 'U_EXEC3';
const OPS = 'U_OPS';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'meeting-vote',
  members: {
    [ADMIN]: 'admin',
    [PLANNER]: 'planner',
    [EXEC1]: 'exec',
    [EXEC2]: 'exec',
    [EXEC3]: 'exec',
    [OPS]: 'ops',
  },
  clock,
});
let db: Db;
let standin: Standin;
let cycleId: number;
let ids: Record<string, string>;
let chartFile = '';

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);
/** `/sop <text>` as `user`, and the first of their ephemerals that contains `needle`. */
const asks = async (user: string, text: string, needle: string) => {
  await h.sop(user, text);
  return ephemeralWith(user, needle);
};
const ephemeralWith = (user: string, needle: string) =>
  waitFor(() => standin.ephemeralsFor(user).find((e) => e.text.includes(needle)));
const pollMessage = (ts: string) =>
  JSON.stringify(standin.messagesIn('C_EXEC').find((m) => m.ts === ts)?.blocks ?? []);

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC' })
    .execute();
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  const run = await insertRun(db, {
    cycleId,
    runKey: 'vote-run',
    periods: ['2027-03', '2027-04'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  ids = run.ids;
  // The run's scenario chart, as the post-charts job leaves it: a file shared in the exec
  // channel and its ledger row.
  const client = new WebClient(h.env.SLACK_BOT_TOKEN, { slackApiUrl: standin.apiUrl });
  const up = (await client.filesUploadV2({
    channel_id: 'C_EXEC',
    filename: `run-${run.runId}-scenarios.png`,
    file: Buffer.from('png'),
  })) as unknown as { files: { files?: { id: string }[] }[] };
  chartFile = up.files[0]?.files?.[0]?.id ?? '';
  expect(chartFile).not.toBe('');
  await db
    .insertInto('slack_posts')
    .values({
      post_key: `run:${run.runId}:scenarios`,
      channel_id: 'C_EXEC',
      file_id: chartFile,
      ts: '1.1',
    })
    .execute();
});

describe('vote settings, quorum and the chair prompt', () => {
  it('only admins configure votes; an anonymous tally shows counts, not names; the quorum closes the vote', async () => {
    await asks(EXEC1, 'vote mode anonymous', 'Only Admin');
    await asks(ADMIN, 'vote mode anonymous', 'Next votes are anonymous');
    await asks(ADMIN, 'vote quorum 2', 'close when 2 executives');

    await h.sop(EXEC1, 'vote');
    const msg = await waitFor(() =>
      standin
        .messagesIn('C_EXEC')
        .find((m) => JSON.stringify(m.blocks ?? []).includes('vote_cast_1')),
    );
    // The chart above the grid.
    expect(JSON.stringify(msg.blocks)).toContain(`"slack_file":{"id":"${chartFile}"}`);
    await h.driver.clickButton('C_EXEC', msg.ts, 'vote_cast_1', { user: EXEC1 });
    await waitFor(() => pollMessage(msg.ts).includes('*Central*: 1 vote'));
    // The message's text (the channel list's preview, a screen reader) is edited with the tally.
    expect(standin.messagesIn('C_EXEC').find((m) => m.ts === msg.ts)?.text).toMatch(
      /^Scenario vote: Which scenario do we adopt for 2027-03\? Choose one of \d+ scenarios: .* 1 executive vote counted of the 2 it needs\.$/,
    );
    // The chair is named in the header context; voters are not named in the tally.
    expect(pollMessage(msg.ts)).not.toContain(`1 vote <@${EXEC1}>`);
    expect(pollMessage(msg.ts)).toContain('· anonymous votes_');

    await h.driver.clickButton('C_EXEC', msg.ts, 'vote_cast_3', { user: EXEC2 });
    await waitFor(() => pollMessage(msg.ts).includes('Vote closed (quorum reached)'));
    expect(pollMessage(msg.ts)).toContain('The vote is tied.');
    expect(pollMessage(msg.ts)).not.toContain('vote_cast_1');
    const poll = await db.selectFrom('polls').selectAll().executeTakeFirstOrThrow();
    expect(poll.status).toBe('closed');
    expect(poll.close_reason).toBe('quorum');

    const prompt = await waitFor(() =>
      standin
        .messagesIn(`D_${EXEC1}`)
        .find((m) => JSON.stringify(m.blocks ?? []).includes('decision_open')),
    );
    expect(prompt.text).toContain('Record the decision');
    expect(
      standin
        .messagesIn(`D_${EXEC1}`)
        .filter((m) => JSON.stringify(m.blocks ?? []).includes('decision_open')),
    ).toHaveLength(1);

    // Votes shown by name again: the word that says so, and `open`, the older word, alike.
    // Each answer is waited for as the next of its kind (an earlier one says the same).
    const answered = async (text: string, needle: string) => {
      const before = standin.ephemeralsFor(ADMIN).filter((e) => e.text.includes(needle)).length;
      await h.sop(ADMIN, text);
      await waitFor(
        () => standin.ephemeralsFor(ADMIN).filter((e) => e.text.includes(needle)).length > before,
      );
    };
    const mode = async () =>
      (await db.selectFrom('workspace_settings').select('vote_mode').executeTakeFirstOrThrow())
        .vote_mode;
    await answered('vote mode named', 'Next votes show each voter by name (votes shown by name).');
    expect(await mode()).toBe('open');
    await answered('vote mode anonymous', 'Next votes are anonymous');
    expect(await mode()).toBe('anonymous');
    await answered('vote mode open', 'Next votes show each voter by name');
    expect(await mode()).toBe('open');
  });

  it('the chair opens the modal from the DM, adds a fourth action row and records the decision', async () => {
    const prompt = standin
      .messagesIn(`D_${EXEC1}`)
      .find((m) => JSON.stringify(m.blocks ?? []).includes('decision_open'))!;
    // The prompt is in the chair's DM, which only the chair sees; the same button is on the
    // App Home of whoever may record the decision. It asks the modal's own policy row,
    // decision.record (executives, admins, and the chair): a member whose Home was drawn
    // while an executive, and who is one no more, is refused (in a DM: a Home click has no
    // channel); another executive gets the form.
    const homeButton = (user: string) =>
      waitFor(() => {
        const home = standin.homeView(user);
        return home && JSON.stringify(home.definition).includes('decision_open') ? home : null;
      });
    const openHome = (user: string) =>
      h.driver.event({ type: 'app_home_opened', user, channel: `D_${user}`, tab: 'home' });
    await asks(ADMIN, `role <@${OPS}|ops> exec`, 'is now *Executive*');
    await openHome(OPS);
    const staleHome = await homeButton(OPS);
    await asks(ADMIN, `role <@${OPS}|ops> ops`, 'is now *Operations*');
    await h.driver.selectOption(staleHome.id, 'decision_open', null, { user: OPS });
    await waitFor(() =>
      standin
        .messagesIn(`D_${OPS}`)
        .find((m) =>
          m.text.includes(
            `Only Executive or Admin members or the chair of the vote, <@${EXEC1}>, record its decision.`,
          ),
        ),
    );
    expect(standin.openViews(OPS)).toHaveLength(0);
    await openHome(EXEC2);
    await h.driver.selectOption((await homeButton(EXEC2)).id, 'decision_open', null, {
      user: EXEC2,
    });
    const exec2Modal = await waitFor(() => standin.openViews(EXEC2).at(-1));
    expect(exec2Modal.definition.callback_id).toBe('decision_submit');
    await h.driver.clickButton(`D_${EXEC1}`, prompt.ts, 'decision_open', { user: EXEC1 });
    const modal = await waitFor(() => standin.openViews(EXEC1).at(-1));
    // A tie: no default scenario.
    expect(JSON.stringify(modal.definition.blocks)).not.toContain('initial_option');
    // The trade-off each choice accepts is on the modal (the fixture's stress KPIs: P90
    // margin 760k vs 700k, expected 660k vs 650k, cash at P10 250k vs the budget's 320k).
    const tradeOff =
      "Ambitious: margin $760k in a good case (1 in 10), +$60k vs Central $700k, and $660k expected, +$10k vs Central $650k; in a bad case (each its own 1 in 10) it leaves $95k of stock beyond 3 months' cover, cash is −$70k against budget and it fills 86.0% of demand (−4.0 pts vs Central).";
    expect(JSON.stringify(modal.definition.blocks)).toContain(tradeOff);
    // The chair has picked the scenario and typed the rationale, then adds a row.
    await h.driver.selectOption(modal.id, 'decision_add_action', null, {
      user: EXEC1,
      values: {
        scenario: { pick: ids.ambitious! },
        rationale: { text: 'Growth: the new retailer contract is signed.' },
      },
    });
    await waitFor(() =>
      JSON.stringify(standin.openViews(EXEC1).at(-1)?.definition.blocks ?? []).includes('a4_desc'),
    );
    // Still there after the modal was rebuilt with a fourth row.
    expect(JSON.stringify(standin.openViews(EXEC1).at(-1)?.definition.blocks)).toContain(tradeOff);
    const res = await h.driver.submitView(modal.id, {
      user: EXEC1,
      values: {
        scenario: { pick: ids.ambitious! },
        rationale: { text: 'Growth: the new retailer contract is signed.' },
        a4_owner: { owner: OPS },
        a4_due: { due: '2027-03-25' },
        a4_desc: { desc: 'Hire two temporary operators' },
      },
    });
    expect(res.status).toBe(200);
    const d = await pollUntil(
      () => db.selectFrom('decisions').selectAll().execute(),
      (r) => r.length === 1,
    );
    expect(d[0]!.scenario_id).toBe(ids.ambitious);
    // The decision keeps the trade-off it accepted, with the scenario snapshot.
    expect(d[0]!.trade_off).toBe(tradeOff);
    const acts = await db.selectFrom('actions').selectAll().execute();
    expect(acts.map((a) => a.description)).toEqual(['Hire two temporary operators']);
  });

  it('Snooze moves the reminders: the due one is skipped, the snoozed one is sent', async () => {
    const action = await db.selectFrom('actions').selectAll().executeTakeFirstOrThrow();
    const dm = await waitFor(() =>
      standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes('Hire two')),
    );
    clock.set('2027-03-24T10:00:00Z');
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_snooze_1w', { user: OPS });
    await ephemeralWith(OPS, 'Snoozed');
    const snoozed = await pollUntil(
      () =>
        db
          .selectFrom('actions')
          .select('snoozed_until')
          .where('id', '=', action.id)
          .executeTakeFirstOrThrow(),
      (r) => r.snoozed_until !== null,
    );
    expect(snoozed.snoozed_until!.toISOString()).toBe('2027-03-31T10:00:00.000Z');
    const count = standin.messagesIn(`D_${OPS}`).length;

    /** The action's reminder of `kind` comes due at `at`: the reminder job's result. */
    const remindAt = (at: string, kind: 'due' | 'overdue', occurrence: string) => {
      clock.set(at);
      const payload = { actionId: action.id, kind, occurrence };
      return h.comeDue('action-reminder', payload, 'notifications');
    };
    expect(await remindAt('2027-03-25T09:00:00Z', 'due', '2027-03-25')).toEqual({
      result: 'snoozed',
    });
    expect(standin.messagesIn(`D_${OPS}`)).toHaveLength(count);

    expect(
      await remindAt('2027-03-31T10:00:00Z', 'overdue', 'snooze-2027-03-31T10:00:00.000Z'),
    ).toEqual({ result: 'sent' });
    expect(standin.messagesIn(`D_${OPS}`)).toHaveLength(count + 1);
    expect(standin.messagesIn(`D_${OPS}`).at(-1)!.text).toContain('Overdue');

    // Done from App Home: the action leaves the Home tab, which is published again.
    await h.driver.event({ type: 'app_home_opened', user: OPS, channel: `D_${OPS}`, tab: 'home' });
    const home = await waitFor(() => {
      const v = standin.homeView(OPS);
      return v && JSON.stringify(v.definition.blocks).includes('Hire two') ? v : undefined;
    });
    // The button's value is the action id, as Slack sends it.
    await h.driver.selectOption(home.id, 'action_done', action.id, { user: OPS });
    await pollUntil(
      () =>
        db
          .selectFrom('actions')
          .select('status')
          .where('id', '=', action.id)
          .executeTakeFirstOrThrow(),
      (r) => r.status === 'done',
    );
    await waitFor(
      () => !JSON.stringify(standin.homeView(OPS)?.definition.blocks ?? []).includes('Hire two'),
    );
  });

  it('the deadline closes a vote and asks the chair; /sop decide records the decision that settles it', async () => {
    await asks(ADMIN, 'vote quorum off', 'no quorum');
    // Whole hours or days, as the refusal says: a fraction would open a 36-second vote.
    for (const bad of ['0.01', '2.5'])
      expect((await asks(PLANNER, `vote ${bad}`, `\`${bad}\``)).text).toBe(
        `:warning: \`${bad}\`: give how long the vote stays open as whole hours or days, from 1 hour to 14 days, e.g. \`/sop vote 72\` or \`/sop vote 3 days\`.`,
      );
    // From 1 hour to 14 × 24 = 336 hours.
    for (const bad of ['0', '337'])
      expect((await asks(PLANNER, `vote ${bad}`, `\`${bad}\``)).text).toBe(
        `:warning: \`${bad}\`: a vote stays open from 1 hour to 14 days (336 hours), e.g. \`/sop vote 72\` or \`/sop vote 3 days\`.`,
      );
    // Hours written another way are told what to write, as every typed number is.
    expect((await asks(PLANNER, 'vote 1e2', '`1e2`')).text).toBe(
      ':warning: `1e2` is in scientific notation: write 100.',
    );
    expect((await asks(PLANNER, 'vote ２４', '`２４`')).text).toBe(
      ':warning: `２４` is written in full-width characters: write 24.',
    );
    expect(await db.selectFrom('polls').selectAll().where('status', '=', 'open').execute()).toEqual(
      [],
    );
    await h.sop(PLANNER, 'vote 2');
    const poll = await pollUntil(
      () => db.selectFrom('polls').selectAll().where('status', '=', 'open').executeTakeFirst(),
      (p) => p?.message_ts != null,
    );
    expect(poll!.closes_at!.toISOString()).toBe(
      new Date(clock.now().getTime() + 2 * 3600_000).toISOString(),
    );
    const closed = await h.comeDue('poll-deadline', { pollId: poll!.id }, 'notifications');
    expect(closed).toEqual({ closedNow: true });
    expect(
      (
        await db
          .selectFrom('polls')
          .selectAll()
          .where('id', '=', poll!.id)
          .executeTakeFirstOrThrow()
      ).close_reason,
    ).toBe('deadline');
    await waitFor(() => pollMessage(poll!.message_ts!).includes('deadline passed'));
    await waitFor(() =>
      standin
        .messagesIn(`D_${PLANNER}`)
        .find((m) => JSON.stringify(m.blocks ?? []).includes('decision_open')),
    );

    await asks(PLANNER, 'decide cautious "planners may not"', 'Only Executive');
    await asks(EXEC3, 'decide prudent "typo"', '`prudent` is not in the latest plan run');
    // The cycle has a decision already (the quorum vote's): a new one says why it replaces it.
    await asks(
      EXEC3,
      'decide cautious "Cash is tight this quarter"',
      'A new decision supersedes it',
    );
    await h.sop(
      EXEC3,
      'decide cautious "Cash is tight this quarter" supersedes "the budget was cut after the vote"',
    );
    await ephemeralWith(EXEC3, 'recorded: Adopt the Cautious scenario');
    const c = await db
      .selectFrom('cycles')
      .selectAll()
      .where('id', '=', cycleId)
      .executeTakeFirstOrThrow();
    expect(c.adopted_scenario_id).toBe(ids.cautious);
    // It settles the vote the deadline closed: its log goes to the vote's thread, and the
    // vote message shows it instead of "Decision pending".
    const log = await waitFor(() =>
      standin
        .threadReplies('C_EXEC', poll!.message_ts!)
        .find((m) => m.text.includes('Cash is tight')),
    );
    expect(log.text).toContain('Cautious adopted');
    await waitFor(() => pollMessage(poll!.message_ts!).includes('Decision: *Cautious* adopted'));
  });
});
