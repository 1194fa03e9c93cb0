/**
 * Reassigning a follow-up action from Slack's own surfaces: the Reassign button beside Done and
 * Snooze on the owner's DM and App Home opens a form with a person to pick; sending it gives the
 * action through the service of `/sop actions reassign` (the same checks, audit and handover
 * job), each refusal shown under the person picked with nothing written, and a double click or
 * Slack's retry gives it once. The real bot and worker over HTTP against the Slack stand-in,
 * real Postgres and Redis, a test clock.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
import { createLogger } from '../../src/logger.js';
import { handOverDecision, recordDecision } from '../../src/services/decisions.js';
import { INTERNAL_ERROR_TEXT } from '../../src/slack/reply.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { nextEphemeral, standinClient } from '../helpers/slack.js';
import {
  actionState,
  addDeactivatedUser,
  handoverResult,
  marchExecutiveCycle,
} from './action-fixture.js';
import { settledJob, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const ADA = 'U_ADA'; // admin
const OTTO = 'U_OTTO'; // ops, owns the actions
const NINA = 'U_NINA'; // ops, takes them over
const SAM = 'U_SAM'; // sales rep
const GONE = 'U_GONE'; // a deactivated Slack account

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'action-reassign-ui',
  members: { [EXEC]: 'exec', [ADA]: 'admin', [OTTO]: 'ops', [NINA]: 'ops', [SAM]: 'sales' },
  clock,
});
let db: Db;
let standin: Standin;
let driver: Driver;
/** OTTO's actions, by description. */
const ids: Record<string, string> = {};
const DESCRIPTIONS = [
  'Book weekend overtime',
  'Call <!channel> & the supplier',
  'Count the safety stock',
  'Order resin',
  'Move the line check',
  'Ask for a second quote',
  'Check the forklift',
  'Book the auditor',
  'Plan the stocktake',
  'Renew the forklift lease',
  'Fix the dock door',
  'Label the bins',
  'Sweep the yard',
] as const;

const dms = (user: string) => standin.messagesIn(`D_${user}`);
const texts = (user: string) => dms(user).map((m) => m.text);

const stateOf = (id: string) => actionState(db, id);
const handover = (entry: string) => handoverResult(h, entry);

/** `user` gives action `id` to NINA with the command: its state once she owns it. */
async function commandToNina(user: string, id: string) {
  await h.sop(user, `actions reassign #${id} <@${NINA}>`);
  return standin.waitFor(async () => {
    const st = await stateOf(id);
    return st.owner === NINA ? st : null;
  }, 10_000);
}

/** OTTO's DM that gave him action `id` (its assignment). */
const assignedDm = (id: string) => {
  const dm = dms(OTTO).find((m) => m.text.includes(`#${id} `));
  if (!dm) throw new Error(`no DM to OTTO about #${id}`);
  return dm;
};

/** The form `act` opened for `user`. */
async function formOpened(user: string, act: () => Promise<unknown>) {
  const before = new Set(standin.openViews(user).map((v) => v.id));
  await act();
  return standin.waitFor(
    () =>
      standin
        .openViews(user)
        .find((v) => !before.has(v.id) && v.definition.callback_id === 'action_reassign_submit'),
    10_000,
  );
}

/** OTTO clicks Reassign on his DM about action `id`: the form it opens. */
const reassignFromDm = (id: string) =>
  formOpened(OTTO, () =>
    driver.clickButton(`D_${OTTO}`, assignedDm(id).ts, 'action_reassign', { user: OTTO }),
  );

const pick = (user: string) => ({ values: { reassign_to: { user } } });

/** How many Homes have been published for `user` so far. */
const publishes = (user: string) =>
  standin.callsTo('views.publish').filter((c) => c.args.user_id === user).length;

/** `user` opens their Home tab: the view published. */
async function openHome(user: string) {
  const before = publishes(user);
  await driver.event({ type: 'app_home_opened', user, channel: `D_${user}`, tab: 'home' });
  await standin.waitFor(() => publishes(user) > before, 10_000);
  const home = standin.homeView(user);
  if (!home) throw new Error(`no Home for ${user}`);
  return home;
}

/** A Reassign form's answer when sent again before its first sending gave action `id` to anyone. */
const notGiven = (id: string) =>
  `This form was sent already, so sending it again changed nothing. When it came, that first sending had not given action #${id} to anyone: it may still have been under way, or it was refused. \`/sop actions all\` shows who owns the action now.`;

/** `user`'s Home as last published, as JSON. */
const homeOf = (user: string) => JSON.stringify(standin.homeView(user)?.definition ?? null);

beforeAll(async () => {
  ({ db, standin, driver } = h);
  addDeactivatedUser(standin, GONE, 'gone');
  const { cycleId, run } = await marchExecutiveCycle(db, 'action-reassign-ui');
  const deps = { db, queue: h.queues, clock };
  const rec = await recordDecision(deps, {
    cycleId,
    pollId: null,
    scenarioId: run.ids.central!,
    rationale: 'Service first',
    decidedBy: EXEC,
    requestKey: 'reassign-ui-decision',
    actions: DESCRIPTIONS.map((description) => ({
      owner: OTTO,
      description,
      dueDate: '2027-03-17',
    })),
  });
  rec.actions.forEach((a, i) => {
    ids[DESCRIPTIONS[i]!] = a.id;
  });
  await handOverDecision({ ...deps, logger: createLogger('silent', 'test') }, rec);
  await settledJob(h.queues, 'posts', jobId('decision-publish', { decisionId: rec.decision.id }));
  expect(texts(OTTO)).toHaveLength(DESCRIPTIONS.length);
}, 60_000);

describe('the Reassign button', () => {
  it("sits beside Done and Snooze on the owner's DM", () => {
    const id = ids['Book weekend overtime']!;
    const row = assignedDm(id).blocks?.find((b) => (b as { type?: string }).type === 'actions') as
      | { elements: { action_id: string; text: { text: string }; value: string }[] }
      | undefined;
    expect(row?.elements.map((e) => [e.action_id, e.text.text, e.value])).toEqual([
      ['action_done', 'Done', id],
      ['action_snooze_1d', 'Snooze 1 working day', id],
      ['action_snooze_1w', 'Snooze 1 week', id],
      ['action_reassign', 'Reassign', id],
    ]);
  });

  it('opens a form with nobody picked; sending it gives the action as the command does: owner, audit, handover DM', async () => {
    const id = ids['Book weekend overtime']!;
    const form = await reassignFromDm(id);
    expect(form.definition.title).toEqual({
      type: 'plain_text',
      text: 'Reassign action',
      emoji: true,
    });
    expect(form.definition.submit).toEqual({ type: 'plain_text', text: 'Reassign', emoji: true });
    const input = (form.definition.blocks as { block_id?: string; element?: unknown }[]).find(
      (b) => b.block_id === 'reassign_to',
    );
    expect(input?.element).toEqual({
      type: 'users_select',
      action_id: 'user',
      placeholder: { type: 'plain_text', text: 'Choose a person', emoji: true },
    });

    const sent = await driver.submitView(form.id, { user: OTTO, ...pick(NINA) });
    expect(sent.outcome.action).toBe('updated');
    const shown = standin.openViews(OTTO).at(-1);
    expect(JSON.stringify(shown?.definition.blocks)).toContain(
      `Action #${id} Book weekend overtime (due 2027-03-17) is now <@${NINA}>'s; it was yours. They get a DM with it, and its reminders from now on.`,
    );
    const s = await stateOf(id);
    expect(s.owner).toBe(NINA);
    expect(s.reassigned).toHaveLength(1);
    expect(s.reassigned[0]!.actor).toBe(OTTO);
    expect(s.reassigned[0]!.details).toMatchObject({ from: OTTO, to: NINA });
    expect(await handover(s.reassigned[0]!.id)).toMatchObject({
      newOwner: 'sent',
      oldOwner: 'not_needed',
    });
    expect(texts(NINA).at(-1)).toBe(
      `:memo: You own a follow-up action from the executive S&OP meeting: #${id} Book weekend overtime (due 2027-03-17). <@${OTTO}> handed it over to you.`,
    );
  });

  it('on App Home too: OTTO gives another action to NINA from his To-do, and both Homes are drawn again', async () => {
    const id = ids['Call <!channel> & the supplier']!;
    const home = await openHome(OTTO);
    await openHome(NINA);
    expect(homeOf(OTTO)).toContain(`"block_id":"action_${id}"`);
    expect(homeOf(NINA)).not.toContain(`"block_id":"action_${id}"`);
    const form = await formOpened(OTTO, () =>
      driver.selectOption(home.id, 'action_reassign', null, {
        user: OTTO,
        blockId: `action_${id}`,
      }),
    );
    expect(form.definition.private_metadata).toBe(id);
    // What was typed stays text: no @channel ping from the form.
    expect(JSON.stringify(form.definition.blocks)).toContain(
      `*#${id}* Call &lt;!channel&gt; &amp; the supplier\\nDue *2027-03-17*`,
    );
    const [otto, nina] = [publishes(OTTO), publishes(NINA)];
    const sent = await driver.submitView(form.id, { user: OTTO, ...pick(NINA) });
    expect(sent.outcome.action).toBe('updated');
    expect(await stateOf(id)).toMatchObject({ owner: NINA, reassigned: [{ actor: OTTO }] });
    // Neither tab was opened again: the bot drew both.
    await standin.waitFor(() => publishes(OTTO) > otto && publishes(NINA) > nina, 10_000);
    expect(homeOf(OTTO)).not.toContain(`"block_id":"action_${id}"`);
    expect(homeOf(NINA)).toContain(`"block_id":"action_${id}"`);
    expect(homeOf(NINA)).toContain(
      `*#${id}* Call &lt;!channel&gt; &amp; the supplier · due 2027-03-17`,
    );
  });
});

describe('App Home opened before sopbot recorded who opens it', () => {
  it('is drawn again after a Reassign clicked on it', async () => {
    // NINA was given this action on her Home in the test before; she hands it on from there.
    const id = ids['Call <!channel> & the supplier']!;
    const home = await openHome(NINA);
    // As after the upgrade that began recording viewers: she has the tab open, unrecorded.
    await db.deleteFrom('home_viewers').where('slack_user_id', '=', NINA).execute();
    const form = await formOpened(NINA, () =>
      driver.selectOption(home.id, 'action_reassign', null, {
        user: NINA,
        blockId: `action_${id}`,
      }),
    );
    const nina = publishes(NINA);
    const sent = await driver.submitView(form.id, { user: NINA, ...pick(SAM) });
    expect(sent.outcome.action).toBe('updated');
    await standin.waitFor(() => publishes(NINA) > nina, 10_000);
    expect(homeOf(NINA)).not.toContain(`"block_id":"action_${id}"`);
    expect((await stateOf(id)).owner).toBe(SAM);
  });
});

describe('what the form refuses, under the person picked, with nothing written', () => {
  const refused = async (id: string, user: string, expected: string) => {
    const before = await stateOf(id);
    const form = await reassignFromDm(id);
    const sent = await driver.submitView(form.id, { user: OTTO, ...pick(user) });
    expect(sent.outcome).toMatchObject({
      action: 'errors',
      errors: { reassign_to: expected },
    });
    expect(await stateOf(id)).toEqual(before);
    // The form stays open for another pick.
    expect(standin.openViews(OTTO).at(-1)?.id).toBe(form.id);
    await driver.closeView(form.id);
  };
  const id = () => ids['Count the safety stock']!;

  it('its owner already', () =>
    // Answered before Slack's 3 s without waiting for a name Slack has not given the bot yet:
    // OTTO's id (his name is looked up meanwhile, for the next refusal).
    refused(
      id(),
      OTTO,
      `@U_OTTO owns action #${id()} already; name the person who takes it over.`,
    ));
  it('a bot', () =>
    refused(
      id(),
      'U_SOPBOT',
      '@sopbot is a bot; an action is owned by a person. Name the person who takes it over.',
    ));
  it('a deactivated account', () =>
    refused(
      id(),
      GONE,
      "@gone's Slack account is deactivated: they would never see the action nor its reminders. Name someone who is still in the workspace.",
    ));
  it('someone Slack does not know in the workspace', () =>
    refused(
      id(),
      'U_NOBODY',
      // A form's error is plain text: quotes, where a message has a code span.
      'Slack knows no person "U_NOBODY" in this workspace; name someone who is in it.',
    ));

  it('an action closed since the form opened', async () => {
    const a = ids['Order resin']!;
    const form = await reassignFromDm(a);
    await db
      .updateTable('actions')
      .set({ status: 'done', done_at: clock.now(), done_by: OTTO })
      .where('id', '=', a)
      .execute();
    const sent = await driver.submitView(form.id, { user: OTTO, ...pick(NINA) });
    expect(sent.outcome).toMatchObject({
      action: 'errors',
      errors: {
        reassign_to: `Action #${a} is done: only an open action can be given to someone else.`,
      },
    });
    expect(await stateOf(a)).toEqual({ owner: OTTO, reassigned: [] });
  });

  it('an action done already: the click says so at once, and no form opens', async () => {
    // Marked done in the test before, behind the DM's back: its buttons are still there.
    const a = ids['Order resin']!;
    const views = standin.openViews(OTTO).length;
    const told = await nextEphemeral(standin, OTTO, () =>
      driver.clickButton(`D_${OTTO}`, assignedDm(a).ts, 'action_reassign', { user: OTTO }),
    );
    expect(told).toBe(`Action #${a} is already done.`);
    expect(standin.openViews(OTTO)).toHaveLength(views);
  });

  it('no longer the owner nor an admin: an admin gave it to NINA while the form was open', async () => {
    const a = ids['Move the line check']!;
    const form = await reassignFromDm(a);
    const given = await commandToNina(ADA, a);
    const sent = await driver.submitView(form.id, { user: OTTO, ...pick(SAM) });
    expect(sent.outcome).toMatchObject({
      action: 'errors',
      errors: {
        reassign_to: `Only @nina, its owner, or Admin members can give action #${a} to someone else.`,
      },
    });
    expect(await stateOf(a)).toEqual(given);
    await handover(given.reassigned[0]!.id);
  });
});

describe('a double click on Reassign, and a Slack retry of the submission', () => {
  it('give the action once: one audit entry, one DM to the new owner', async () => {
    const id = ids['Ask for a second quote']!;
    const nina = dms(NINA).length;
    const form = await reassignFromDm(id);
    const [first, second] = await Promise.all([
      driver.submitView(form.id, { user: OTTO, ...pick(NINA) }),
      driver.submitView(form.id, { user: OTTO, ...pick(NINA) }),
    ]);
    const retry = await driver.resend(first.request, { retryNum: 1, retryReason: 'http_timeout' });
    // Neither the second click nor the retry is refused as if NINA had owned it all along, nor
    // closes the form without a word: each answers what became of the action. One gave it.
    const shown = (r: { body?: unknown }) => {
      const b = (r.body ?? {}) as {
        response_action?: string;
        view?: { blocks?: { text?: { text?: string } }[] };
      };
      return [b.response_action, b.view?.blocks?.[0]?.text?.text];
    };
    const given = `Action #${id} Ask for a second quote (due 2027-03-17) is now <@${NINA}>'s; it was yours. They get a DM with it, and its reminders from now on.`;
    const again = `This form was sent already: action #${id} Ask for a second quote (due 2027-03-17) went to <@${NINA}> then. Sending it again changed nothing.`;
    // The click that lost the race is answered at once with what is written then: the
    // reassignment, or, while the other click is still giving it, nothing yet.
    const notYet = notGiven(id);
    expect([first, second, retry].map((r) => r.status)).toEqual([200, 200, 200]);
    const clicks = [first, second].map(shown);
    expect(clicks.filter(([, text]) => text === given)).toEqual([['update', given]]);
    const lost = clicks.find(([, text]) => text !== given);
    expect([
      ['update', again],
      ['update', notYet],
    ]).toContainEqual(lost);
    // The retry came after both answered: the reassignment is written.
    expect(shown(retry)).toEqual(['update', again]);
    const s = await stateOf(id);
    expect(s.owner).toBe(NINA);
    expect(s.reassigned).toHaveLength(1);
    await handover(s.reassigned[0]!.id);
    // Time for a second handover, were a repeat to make one.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await stateOf(id)).reassigned).toHaveLength(1);
    expect(texts(NINA).slice(nina)).toEqual([
      `:memo: You own a follow-up action from the executive S&OP meeting: #${id} Ask for a second quote (due 2027-03-17). <@${OTTO}> handed it over to you.`,
    ]);
  });
});

describe('a Reassign form sent again while its first sending waits on Slack', () => {
  /** The first sending's refusal when Slack has not said, within OWNER_CHECK_MS, who `name` is. */
  const notSaid = (name: string) => ({
    response_action: 'errors',
    errors: {
      reassign_to: `Slack did not say in time whether @${name} can own an action; try again.`,
    },
  });

  /**
   * OTTO sends the form naming `user`; Slack holds the first sending's users.info, and the
   * form is sent again meanwhile (`retry`: Slack's retry; else a double click). The first
   * sending is answered without Slack's word, within Slack's 3 s: refused saying so, nothing
   * written. The second sending's answer is returned.
   */
  const sentAgain = async (user: string, name: string, retry: boolean) => {
    const id = ids['Count the safety stock']!;
    const before = await stateOf(id);
    const form = await reassignFromDm(id);
    const held = standin.holdNext('users.info', { channel: user });
    const first = driver.submitView(form.id, { user: OTTO, ...pick(user) });
    // The first sending has claimed the form and waits on Slack.
    await held.reached;
    const again = await driver.submitView(form.id, {
      user: OTTO,
      ...pick(user),
      ...(retry ? { retryNum: 1, retryReason: 'http_timeout' } : {}),
    });
    // Before: the first sending waited for Slack past Slack's 3 s (Bolt answered 404).
    const answered = await first;
    expect(answered.ok).toBe(true);
    expect(answered.body).toEqual(notSaid(name));
    held.release();
    expect(await stateOf(id)).toEqual(before);
    await driver.closeView(form.id);
    return again.outcome;
  };

  it("Slack's retry, naming a deactivated account: refused as the first sending is, under the person picked", async () => {
    // Before: "This form was sent already, … it may still have been under way, or it was
    // refused", over the reason.
    expect(await sentAgain(GONE, 'gone', true)).toMatchObject({
      action: 'errors',
      errors: {
        reassign_to:
          "@gone's Slack account is deactivated: they would never see the action nor its reminders. Name someone who is still in the workspace.",
      },
    });
  });

  it('naming someone who may take it: the retry cannot know yet, and says so; sent again once Slack answers, it is given, and a retry then says to whom', async () => {
    const id = ids['Label the bins']!;
    const form = await reassignFromDm(id);
    const held = standin.holdNext('users.info', { channel: NINA });
    const first = driver.submitView(form.id, { user: OTTO, ...pick(NINA) });
    await held.reached;
    const retry = await driver.submitView(form.id, {
      user: OTTO,
      ...pick(NINA),
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    // Nothing refuses it and nothing is written yet: the first sending is under way.
    expect(retry.outcome).toMatchObject({ action: 'updated' });
    const shownText = (r: { body?: unknown }) =>
      (r.body as { view: { blocks: { text: { text: string } }[] } }).view.blocks[0]?.text.text;
    expect(shownText(retry)).toBe(notGiven(id));
    // The first sending is refused without Slack's word, in time; nothing is given.
    const late = await first;
    expect(late.ok).toBe(true);
    expect(late.body).toEqual(notSaid('nina'));
    held.release();
    expect((await stateOf(id)).owner).toBe(OTTO);
    // Sent again, as the refusal asks, with Slack answering: given, once.
    const given = await driver.resend(late.request);
    expect(shownText(given)).toContain(`is now <@${NINA}>'s`);
    const s = await stateOf(id);
    expect(s.owner).toBe(NINA);
    expect(s.reassigned).toHaveLength(1);
    const later = await driver.resend(late.request, { retryNum: 2, retryReason: 'http_timeout' });
    expect(shownText(later)).toBe(
      `This form was sent already: action #${id} Label the bins (due 2027-03-17) went to <@${NINA}> then. Sending it again changed nothing.`,
    );
    await handover(s.reassigned[0]!.id);
  });

  it("Slack's retry while Slack is slow for the retry's own check too: each answered within Slack's 3 s, refused saying so, nothing given", async () => {
    const id = ids['Sweep the yard']!;
    const before = await stateOf(id);
    const form = await reassignFromDm(id);
    // Both sendings' users.info are held. Before, each waited on its check past Slack's 3 s,
    // and Bolt answered them 404: the person saw Slack's error, not an answer.
    const held = [
      standin.holdNext('users.info', { channel: NINA }),
      standin.holdNext('users.info', { channel: NINA }),
    ];
    const first = driver.submitView(form.id, { user: OTTO, ...pick(NINA) });
    await held[0]!.reached;
    const retry = await driver.submitView(form.id, {
      user: OTTO,
      ...pick(NINA),
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(retry.ok).toBe(true);
    expect(retry.body).toEqual(notSaid('nina'));
    const answered = await first;
    expect(answered.ok).toBe(true);
    expect(answered.body).toEqual(notSaid('nina'));
    for (const c of held) c.release();
    expect(await stateOf(id)).toEqual(before);
    // Sent again, as the refusal asks, with Slack answering: given.
    const given = await driver.resend(answered.request);
    expect(given.ok).toBe(true);
    const s = await stateOf(id);
    expect(s.owner).toBe(NINA);
    expect(s.reassigned).toHaveLength(1);
    await handover(s.reassigned[0]!.id);
  });

  it('a double click, naming a bot: refused as the first sending is, under the person picked', async () => {
    expect(await sentAgain('U_SOPBOT', 'sopbot', false)).toMatchObject({
      action: 'errors',
      errors: {
        reassign_to:
          '@sopbot is a bot; an action is owned by a person. Name the person who takes it over.',
      },
    });
  });
});

describe('a sending that failed with Postgres gone, claim and all, then sent again', () => {
  it('does the reassignment once its claim is old, rather than saying the form was sent already', async () => {
    const id = ids['Fix the dock door']!;
    const before = await stateOf(id);
    const form = await reassignFromDm(id);
    // Postgres goes away once the sending has claimed the form: its reassignment fails, and so
    // does giving the claim back. Triggers stand for it: each refuses as the server would.
    await sql`create function gone() returns trigger language plpgsql as $$
      begin raise exception 'terminating connection due to administrator command'; end $$`.execute(
      db,
    );
    await sql`create trigger gone before update on actions for each row execute function gone()`.execute(
      db,
    );
    await sql`create trigger gone before delete on processed_requests for each row execute function gone()`.execute(
      db,
    );
    let first: Awaited<ReturnType<typeof driver.submitView>>;
    try {
      first = await driver.submitView(form.id, { user: OTTO, ...pick(NINA) });
    } finally {
      await sql`drop trigger gone on actions`.execute(db);
      await sql`drop trigger gone on processed_requests`.execute(db);
      await sql`drop function gone()`.execute(db);
    }
    // The apology, on the form, which stays open; nothing was given.
    expect(first.outcome).toMatchObject({
      action: 'errors',
      errors: { reassign_to: INTERNAL_ERROR_TEXT },
    });
    expect(await stateOf(id)).toEqual(before);
    // Its claim outlived it (the latest one of a Reassign form). The person tries again, as
    // the apology asks, a minute later.
    const claim = await db
      .selectFrom('processed_requests')
      .select('request_key')
      .where('kind', '=', 'action.reassign')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('processed_requests')
      .set({ created_at: sql<Date>`created_at - interval '1 minute'` })
      .where('request_key', '=', claim.request_key)
      .execute();
    const again = await driver.submitView(form.id, { user: OTTO, ...pick(NINA) });
    const text = (again.body as { view?: { blocks?: { text?: { text?: string } }[] } }).view
      ?.blocks?.[0]?.text?.text;
    // Before: "This form was sent already, so sending it again changed nothing…", the action
    // still OTTO's, and the form gone.
    expect(text).toBe(
      `Action #${id} Fix the dock door (due 2027-03-17) is now <@${NINA}>'s; it was yours. They get a DM with it, and its reminders from now on.`,
    );
    const s = await stateOf(id);
    expect(s.owner).toBe(NINA);
    expect(s.reassigned).toHaveLength(1);
    await handover(s.reassigned[0]!.id);
  });
});

describe('App Home after /sop actions reassign', () => {
  it("an admin's command: OTTO's To-do loses the action and NINA's gains it, without opening the tabs", async () => {
    const id = ids['Check the forklift']!;
    expect(homeOf(OTTO)).toContain(`"block_id":"action_${id}"`);
    const [otto, nina] = [publishes(OTTO), publishes(NINA)];
    await h.sop(ADA, `actions reassign #${id} <@${NINA}>`);
    // Waits for the Homes as they should end, not for any publish: a redraw an earlier test
    // asked for can land late on a loaded machine, before this one's.
    const drawn = () =>
      !homeOf(OTTO).includes(`"block_id":"action_${id}"`) &&
      homeOf(NINA).includes(`"block_id":"action_${id}"`);
    await standin.waitFor(drawn, 10_000).catch(() => {});
    expect(publishes(OTTO)).toBeGreaterThan(otto);
    expect(publishes(NINA)).toBeGreaterThan(nina);
    expect(homeOf(OTTO)).not.toContain(`"block_id":"action_${id}"`);
    expect(homeOf(NINA)).toContain(`"block_id":"action_${id}"`);
  });

  it('someone who never opened the Home is not sent one; the old owner, who did, is', async () => {
    const id = ids['Book the auditor']!;
    const otto = publishes(OTTO);
    await h.sop(OTTO, `actions reassign #${id} <@${SAM}>`);
    await standin
      .waitFor(() => !homeOf(OTTO).includes(`"block_id":"action_${id}"`), 10_000)
      .catch(() => {});
    expect(publishes(OTTO)).toBeGreaterThan(otto);
    expect(homeOf(OTTO)).not.toContain(`"block_id":"action_${id}"`);
    expect((await stateOf(id)).owner).toBe(SAM);
    // Time for a publish to SAM, were one to come.
    await new Promise((r) => setTimeout(r, 1000));
    expect(publishes(SAM)).toBe(0);
  });
});

const HEAD = ':memo: You own a follow-up action from the executive S&OP meeting';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
/** The one message `ts` in OTTO's DM as it stands now. */
const ottoMessage = (ts: string) => dms(OTTO).find((m) => m.ts === ts);
/** The action ids whose buttons a message still shows. */
const withButtons = (m: { blocks?: readonly unknown[] } | undefined) =>
  (m?.blocks ?? []).flatMap((b) => {
    const id = /^action_(\d+)$/.exec((b as { block_id?: string }).block_id ?? '')?.[1];
    return (b as { type?: string }).type === 'actions' && id ? [id] : [];
  });

describe("the old owner's earlier DMs about a reassigned action", () => {
  it('the DM that gave OTTO the action shows to whom it went instead of its buttons; a retried handover changes nothing more', async () => {
    const id = ids['Book weekend overtime']!;
    const dm = assignedDm(id);
    expect(dm.blocks).toEqual([
      section(`${HEAD}\n*#${id}* Book weekend overtime\nDue *2027-03-17*`),
      context(`:arrow_right: Reassigned to <@${NINA}> by <@${OTTO}> on 2027-03-12.`),
    ]);
    // Its text (notifications, the screen reader, search) says to whom it went, no longer that
    // it is OTTO's, due 2027-03-17.
    expect(dm.text).toBe(
      `:arrow_right: Action #${id} Book weekend overtime: reassigned to <@${NINA}> by <@${OTTO}> on 2027-03-12.`,
    );
    const entry = (await stateOf(id)).reassigned[0]!.id;
    const [otto, nina] = [dms(OTTO).length, dms(NINA).length];
    const updates = standin.callsTo('chat.update').length;
    expect(
      await h.runAgain('action-handover', { actionId: id, handover: entry }, 'notifications'),
    ).toEqual({
      newOwner: 'already_sent',
      oldOwner: 'not_needed',
      buttonsRemoved: 0,
      already: 1,
      notEdited: 0,
    });
    // The DM drawn by the first run is not edited again.
    expect(standin.callsTo('chat.update')).toHaveLength(updates);
    expect(assignedDm(id).blocks).toEqual(dm.blocks);
    expect([dms(OTTO).length, dms(NINA).length]).toEqual([otto, nina]);
  });

  it('a morning digest: the item given away shows to whom, the others keep their buttons, also once Done redraws it', async () => {
    const [count, plan, lease] = [
      ids['Count the safety stock']!,
      ids['Plan the stocktake']!,
      ids['Renew the forklift lease']!,
    ];
    clock.set('2027-03-15T09:00:00Z');
    expect(
      await h.runAgain(
        'action-reminder',
        { actionId: plan, kind: 'before', occurrence: '2027-03-15' },
        'notifications',
      ),
    ).toEqual({ result: 'sent' });
    const digest = dms(OTTO).at(-1)!;
    expect(withButtons(digest)).toEqual([count, plan, lease]);

    clock.set('2027-03-15T10:00:00Z');
    const s = await commandToNina(OTTO, plan);
    // OTTO's DM giving him the action and this digest.
    expect(await handover(s.reassigned[0]!.id)).toEqual({
      newOwner: 'sent',
      oldOwner: 'not_needed',
      buttonsRemoved: 2,
      already: 0,
      notEdited: 0,
    });
    const line = `:arrow_right: Reassigned to <@${NINA}> by <@${OTTO}> on 2027-03-15.`;
    expect(withButtons(ottoMessage(digest.ts))).toEqual([count, lease]);
    expect(ottoMessage(digest.ts)?.blocks).toContainEqual(
      section(`*#${plan}* Plan the stocktake\n${line} · due *2027-03-17*`),
    );

    await driver.clickButton(`D_${OTTO}`, digest.ts, 'action_done', {
      user: OTTO,
      blockId: `action_${lease}`,
    });
    await standin.waitFor(() => withButtons(ottoMessage(digest.ts)).length === 1, 10_000);
    expect(withButtons(ottoMessage(digest.ts))).toEqual([count]);
    expect(ottoMessage(digest.ts)?.blocks).toContainEqual(
      section(`*#${plan}* Plan the stocktake\n${line} · due *2027-03-17*`),
    );
  });

  it('a DM deleted since is left alone: the handover still goes through and edits the rest', async () => {
    const id = ids['Count the safety stock']!;
    const bot = standinClient(standin, h.env.SLACK_BOT_TOKEN!);
    await bot.chat.delete({ channel: `D_${OTTO}`, ts: assignedDm(id).ts });
    const digest = dms(OTTO).find((m) => withButtons(m).includes(id))!;
    const s = await commandToNina(OTTO, id);
    expect(await handover(s.reassigned[0]!.id)).toEqual({
      newOwner: 'sent',
      oldOwner: 'not_needed',
      buttonsRemoved: 1,
      already: 0,
      notEdited: 1,
    });
    expect(withButtons(ottoMessage(digest.ts))).toEqual([]);
    expect(texts(NINA).at(-1)).toBe(
      `${HEAD}: #${id} Count the safety stock (due 2027-03-17). <@${OTTO}> handed it over to you.`,
    );
  });
});
