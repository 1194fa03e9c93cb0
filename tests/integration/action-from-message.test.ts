/**
 * "Make an S&OP action" on a message, through the stand-in over HTTP with the production
 * worker: the form opens on the message's text read as plain text, with a due date a week
 * ahead in the company's zone and the open cycle; its submission, retried by Slack, makes one
 * action, one assignment DM and one note in the message's thread; a sales rep is refused
 * naming who may; a past due date is refused under the due date; `<!channel>`, in the message
 * or typed, never reaches mrkdwn live.
 *
 * Hand-set: the company's zone is UTC (the settings' default), now is Wednesday 2027-02-10
 * 10:00, so today is 2027-02-10 and the default due date a week on is 2027-02-17. February's
 * cycle is open.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../jobs/contracts.js';
import { drawClickedAction } from '../../src/services/action-reassign.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { testClock, useHarness } from './meeting-fixture.js';

const PAT = 'U_PAT'; // planner
const RITA = 'U_RITA'; // sales
const OTTO = 'U_OTTO'; // ops: owns what Pat makes
const NINA = 'U_NINA'; // in the workspace, no role: takes over what Otto owned

const clock = testClock('2027-02-10T10:00:00Z');
const h = useHarness({
  label: 'action-from-message',
  clock,
  members: { [PAT]: 'planner', [RITA]: 'sales', [OTTO]: 'ops' },
  users: [NINA],
});

beforeAll(async () => {
  await insertCycle(h.db, { month: '2027-02', phase: 'supply_review' });
});

/** A person's message in the supply channel. */
function said(text: string, user = RITA) {
  return h.standin.store.addMessage({ channel: 'C_SUPPLY', text, source: 'api', user });
}

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  element?: { initial_value?: string; initial_date?: string; max_length?: number };
  elements?: { text: string }[];
};

/** Runs the shortcut on `ts` as `user`; the form once it is drawn (no longer loading). */
async function shortcut(ts: string, user: string) {
  const before = new Set(h.standin.openViews(user).map((v) => v.id));
  const r = await h.driver.messageShortcut('C_SUPPLY', ts, 'make_sop_action', { user });
  expect(r.ok).toBe(true);
  return h.standin.waitFor(() => {
    const v = h.standin.openViews(user).at(-1);
    return v && !before.has(v.id) && v.definition.callback_id !== 'make_sop_action_submit_loading'
      ? v
      : undefined;
  });
}

const actions = () => h.db.selectFrom('actions').selectAll().orderBy('id').execute();
const botTexts = () =>
  h.standin.store.messages
    .filter((m) => m.bot_id !== undefined)
    .map((m) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`);

describe('a planner makes a message an action', () => {
  let sourceTs: string;
  let actionId: string;

  it('opens the form on the message read as plain text, due a week ahead, in the open cycle', async () => {
    sourceTs = said(
      '<!channel> <@U_SUPPLIER|Sam> says the <https://example.com/po/12|PO 12> slips &amp; we lack pallets',
    ).ts;
    const view = await shortcut(sourceTs, PAT);
    expect(view.definition.callback_id).toBe('make_sop_action_submit');
    const blocks = view.definition.blocks as Block[];
    const desc = blocks.find((b) => b.block_id === 'description');
    expect(desc?.element?.initial_value).toBe(
      '@channel @Sam says the PO 12 (https://example.com/po/12) slips & we lack pallets',
    );
    expect(desc?.element?.max_length).toBe(500);
    expect(blocks.find((b) => b.block_id === 'due')?.element?.initial_date).toBe('2027-02-17');
    expect(JSON.stringify(blocks)).toContain('Filed under the open cycle, *2027-02*.');
  });

  it("names a person mentioned without a name (Slack's clients send <@U…>), asking Slack once each", async () => {
    const asked = () => h.standin.callsTo('users.info').map((c) => String(c.args.user));
    const before = asked().length;
    const ts = said('<@U_OTTO> to call <@U_NINA> about pallets; <@U_OTTO> owns it').ts;
    const view = await shortcut(ts, PAT);
    const desc = (view.definition.blocks as Block[]).find((b) => b.block_id === 'description');
    // The stand-in's handle of U_OTTO is "otto", of U_NINA "nina".
    expect(desc?.element?.initial_value).toBe('@otto to call @nina about pallets; @otto owns it');
    expect(asked().slice(before).sort()).toEqual(['U_NINA', 'U_OTTO']);
  });

  it('a submission Slack sends again makes one action, one DM and one note in the thread', async () => {
    const view = await shortcut(sourceTs, PAT);
    const sent = await h.driver.submitView(view.id, {
      user: PAT,
      values: { owner: { value: OTTO } },
    });
    expect(sent.ok).toBe(true);
    // Slack's retries of the same submission, two at once (as a double submit arrives).
    const again = await Promise.all([
      h.driver.resend(sent.request, { retryNum: 1 }),
      h.driver.resend(sent.request, { retryNum: 2 }),
    ]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);

    const rows = await actions();
    expect(rows).toHaveLength(1);
    const a = rows[0]!;
    actionId = a.id;
    expect(a).toMatchObject({
      decision_id: null,
      description:
        '@channel @Sam says the PO 12 (https://example.com/po/12) slips & we lack pallets',
      owner: OTTO,
      due_date: '2027-02-17',
      status: 'open',
      created_by: PAT,
      source_channel: 'C_SUPPLY',
      source_ts: sourceTs,
    });
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['actor', 'entity_id'])
      .where('action', '=', 'action.raise')
      .execute();
    expect(audit).toEqual([{ actor: PAT, entity_id: actionId }]);

    await h.finished('notifications', `action-raised-${actionId}`);
    const dms = h.standin.messagesIn(`D_${OTTO}`);
    expect(dms).toHaveLength(1);
    expect(dms[0]?.text).toBe(
      `:memo: You own a follow-up action made from a Slack message by <@${PAT}>: #${actionId} @channel @Sam says the PO 12 (https://example.com/po/12) slips &amp; we lack pallets (due 2027-02-17)`,
    );
    // The message's permalink (chat.getPermalink; the stand-in's are <api>/archives/<channel>/p<ts without the dot>).
    expect(JSON.stringify(dms[0]?.blocks)).toContain(
      `/archives/C_SUPPLY/p${sourceTs.replace('.', '')}|The message>`,
    );
    // Its buttons: Done, Snooze, Reassign, as on any action's DM.
    expect(JSON.stringify(dms[0]?.blocks)).toContain('"action_id":"action_done"');
    const thread = h.standin.threadReplies('C_SUPPLY', sourceTs).filter((m) => m.ts !== sourceTs);
    expect(thread.map((m) => m.text)).toEqual([
      // Pat, who made it, is named (the stand-in's display name "pat"), not mentioned: a
      // mention in this new post notified Pat of what Pat did. Otto, asked to act, is.
      `:memo: pat made this an S&OP follow-up action: *#${actionId}* @channel @Sam says the PO 12 (https://example.com/po/12) slips &amp; we lack pallets\nOwner <@${OTTO}>, due *2027-02-17* (cycle 2027-02).`,
    ]);
    // The job run again (a redelivery) sends nothing more.
    await h.runAgain('action-raised', { actionId }, 'notifications');
    expect(h.standin.messagesIn(`D_${OTTO}`)).toHaveLength(1);
    expect(
      h.standin.threadReplies('C_SUPPLY', sourceTs).filter((m) => m.ts !== sourceTs),
    ).toHaveLength(1);
  });

  it("given to another owner, the old owner's DM drawn again keeps the message's link", async () => {
    const answer = await nextEphemeral(h.standin, OTTO, () =>
      h.sop(OTTO, `actions reassign #${actionId} <@${NINA}>`),
    );
    expect(answer).toContain(`<@${NINA}>`);
    const entry = await h.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'action.reassign')
      .where('entity_id', '=', actionId)
      .executeTakeFirstOrThrow();
    await h.finished(
      'notifications',
      jobId('action-handover', { actionId, handover: String(entry.id) }),
    );
    const [dm] = h.standin.messagesIn(`D_${OTTO}`);
    const blocks = JSON.stringify(dm?.blocks);
    // Its buttons gave way to the line saying to whom it went…
    expect(blocks).not.toContain('"action_id":"action_done"');
    expect(blocks).toContain(`Reassigned to <@${NINA}>`);
    // …and it still links the message, in the words the first DM used.
    expect(blocks).toContain(`/archives/C_SUPPLY/p${sourceTs.replace('.', '')}|The message>`);
  });

  it("Slack slow to give the message's link holds no lock: a click draws the action meanwhile", async () => {
    const ts = said('The carrier strikes next week').ts;
    const view = await shortcut(ts, PAT);
    await h.driver.submitView(view.id, { user: PAT, values: { owner: { value: OTTO } } });
    const made = (await actions()).at(-1)!;
    await h.finished('notifications', `action-raised-${made.id}`);
    const asked = h.standin.callsTo('chat.getPermalink').length;
    h.standin.delayNext('chat.getPermalink', { ms: 3_000 });
    await nextEphemeral(h.standin, OTTO, () =>
      h.sop(OTTO, `actions reassign #${made.id} <@${NINA}>`),
    );
    // The handover job waits for Slack's answer about the message's link…
    await h.standin.waitFor(() => h.standin.callsTo('chat.getPermalink').length > asked);
    // …and a click's redraw of the same action, waiting at most half a second, takes the locks.
    expect(await drawClickedAction(h.db, made.id, async () => {}, 500)).toBe('drawn');
    const entry = await h.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'action.reassign')
      .where('entity_id', '=', made.id)
      .executeTakeFirstOrThrow();
    await h.finished(
      'notifications',
      jobId('action-handover', { actionId: made.id, handover: String(entry.id) }),
    );
    const dm = h.standin.messagesIn(`D_${OTTO}`).find((m) => m.text.includes(`#${made.id} `));
    const blocks = JSON.stringify(dm?.blocks);
    expect(blocks).toContain(`Reassigned to <@${NINA}>`);
    expect(blocks).toContain(`/archives/C_SUPPLY/p${ts.replace('.', '')}|The message>`);
  });

  it('typed <!channel> is shown as typed, never as a live mention', async () => {
    const ts = said('Pallets again').ts;
    const view = await shortcut(ts, PAT);
    await h.driver.submitView(view.id, {
      user: PAT,
      values: {
        description: { value: 'Tell <!channel> & <@U_RITA> about <https://x.example|this>' },
        owner: { value: OTTO },
      },
    });
    const made = (await actions()).at(-1)!;
    expect(made.description).toBe('Tell <!channel> & <@U_RITA> about <https://x.example|this>');
    await h.finished('notifications', `action-raised-${made.id}`);
    const note = h.standin.threadReplies('C_SUPPLY', ts).find((m) => m.ts !== ts);
    expect(note?.text).toContain(
      'Tell &lt;!channel&gt; &amp; &lt;@U_RITA&gt; about &lt;https://x.example|this&gt;',
    );
    for (const text of botTexts()) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<@U_RITA>');
    }
  });
});

it('a sales rep is refused in the form, naming who may', async () => {
  const ts = said('Can we ship FAM-2 earlier?').ts;
  const before = (await actions()).length;
  const view = await shortcut(ts, RITA);
  expect(view.definition.blocks).toEqual([
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':warning: Only Planner, Executive or Admin members can make a message into an S&amp;OP action; your role is Sales. An admin can change it with `/sop role @you &lt;role&gt;`.',
      },
    },
  ]);
  expect(await actions()).toHaveLength(before);
});

it('a due date before today is refused under the due date, and nothing is made', async () => {
  const ts = said('Count the pallets').ts;
  const before = (await actions()).length;
  const view = await shortcut(ts, PAT);
  const sent = await h.driver.submitView(view.id, {
    user: PAT,
    values: { owner: { value: OTTO }, due: { value: '2027-02-09' } },
  });
  expect(sent.outcome).toMatchObject({
    action: 'errors',
    errors: {
      due: "The due date 2027-02-09 is in the past: today is 2027-02-10 in UTC, the company's time zone.",
    },
  });
  expect(await actions()).toHaveLength(before);
});

it('a long message is cut to the field’s 500 characters with an ellipsis', async () => {
  // 80 × "Pallets " is 640 characters, 639 once trimmed: 62 whole ones (496) and "Pal" make
  // 499, then "…".
  const ts = said('Pallets '.repeat(80)).ts;
  const view = await shortcut(ts, PAT);
  const desc = (view.definition.blocks as Block[]).find((b) => b.block_id === 'description');
  expect(desc?.element?.initial_value).toBe(`${'Pallets '.repeat(62)}Pal…`);
  expect(desc?.element?.initial_value).toHaveLength(500);
});

it('an owner who is a bot is refused under the owner, and nothing is made', async () => {
  const ts = said('Ask the bot').ts;
  const before = (await actions()).length;
  const view = await shortcut(ts, PAT);
  const sent = await h.driver.submitView(view.id, {
    user: PAT,
    values: { owner: { value: h.standin.store.identity.botUserId } },
  });
  expect(sent.outcome).toMatchObject({
    action: 'errors',
    errors: {
      owner: expect.stringContaining(
        'is a bot; an action is owned by a person. Name the person who takes it over.',
      ),
    },
  });
  expect(await actions()).toHaveLength(before);
});

it('Slack slow to say who the owner is: answered in time, refused under the owner, nothing made; sent again, made', async () => {
  const ts = said('Recount the resin').ts;
  const before = (await actions()).length;
  const view = await shortcut(ts, PAT);
  // Slack holds the question about NINA; let go after 5 s at the latest, so that a bot waiting
  // for it answers late (as it did) rather than never.
  const held = h.standin.holdNext('users.info', { channel: NINA });
  void held.reached.then(() => setTimeout(() => held.release(), 5_000));
  const sent = await h.driver.submitView(view.id, {
    user: PAT,
    values: { owner: { value: NINA } },
  });
  // Before: answered after Slack's 3 s (Bolt's 404), and the action made anyway.
  expect(sent.ok).toBe(true);
  expect(sent.outcome).toEqual({
    action: 'errors',
    // By the name Slack gave when an action above was given to NINA (kept, not asked again).
    errors: { owner: 'Slack did not say in time whether @nina can own an action; try again.' },
  });
  expect(await actions()).toHaveLength(before);
  held.release();
  const again = await h.driver.submitView(view.id, {
    user: PAT,
    values: { owner: { value: NINA } },
  });
  expect(again.outcome).toMatchObject({ action: 'updated' });
  const made = await actions();
  expect(made).toHaveLength(before + 1);
  expect(made.at(-1)).toMatchObject({ owner: NINA, description: 'Recount the resin' });
});

it('made from a reply in a thread, its note goes in that thread and the DM links the reply', async () => {
  const root = said('Pallets for March?').ts;
  const reply = h.standin.store.addMessage({
    channel: 'C_SUPPLY',
    text: 'Order 40 more pallets',
    source: 'api',
    user: RITA,
    thread_ts: root,
  }).ts;
  const view = await shortcut(reply, PAT);
  await h.driver.submitView(view.id, { user: PAT, values: { owner: { value: OTTO } } });
  const made = (await actions()).at(-1)!;
  expect([made.description, made.source_ts]).toEqual(['Order 40 more pallets', reply]);
  await h.finished('notifications', `action-raised-${made.id}`);
  // The thread's replies after its root: Rita's, then the note (not a thread of the reply).
  expect(
    h.standin
      .threadReplies('C_SUPPLY', root)
      .filter((m) => m.ts !== root)
      .map((m) => m.text),
  ).toEqual([
    'Order 40 more pallets',
    `:memo: pat made this an S&OP follow-up action: *#${made.id}* Order 40 more pallets\nOwner <@${OTTO}>, due *2027-02-17* (cycle 2027-02).`,
  ]);
  const dm = h.standin.messagesIn(`D_${OTTO}`).at(-1);
  expect(JSON.stringify(dm?.blocks)).toContain(
    `/archives/C_SUPPLY/p${reply.replace('.', '')}|The message>`,
  );
});

it('with no cycle open the form says so, and how to open one', async () => {
  await h.db.updateTable('cycles').set({ phase: 'closed', closed_at: clock.now() }).execute();
  const ts = said('Anything').ts;
  const view = await shortcut(ts, PAT);
  expect(view.definition.blocks).toEqual([
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':warning: No S&amp;OP cycle is open, so there is none to file the action under: a planner or an admin opens one with `/sop cycle start`; then make the action again.',
      },
    },
  ]);
});
