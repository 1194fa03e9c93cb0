/**
 * An owner's reminders of one morning come as one DM. OPS owns three actions of one decision,
 * all due 2027-03-17: at 09:00 that day (the company's zone is UTC) the first job to run sends
 * one digest listing the three, most urgent first, and the two other jobs (and a retry) send
 * nothing. Done on the second item redraws the digest with that item done and the others as
 * they were. An action created after the digest went out is reminded on its own; the overdue
 * reminders of the next morning are one digest again and each schedules its next one. An
 * owner with one action gets the DM a reminder always was. The real bot and worker over HTTP
 * against the Slack stand-in, real Postgres and Redis, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import { recordDecision } from '../../src/services/decisions.js';
import { DEVIATION_TASK } from '../../src/slack/presenters/execution.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { actionButtonsBlock } from './action-fixture.js';
import {
  insertFamilies,
  insertRun,
  pollUntil,
  SCENARIOS,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';
const PAM = 'U_PAM'; // a planner with 13 actions due one morning
const KIT = 'U_KIT'; // a planner with 10 actions of long descriptions due one morning
const SOE = 'U_SOE'; // operations, owning two actions the weekly S&OE check raised

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'reminder-digest',
  members: { [EXEC]: 'exec', [OPS]: 'ops', [PAM]: 'planner', [KIT]: 'planner', [SOE]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let driver: Driver;
let cycleId: number;
let a1: string;
let a2: string;
let a3: string;
let solo: string;

/**
 * The reminders in `user`'s DM: every DM but the assignments (':memo: You own…', posted under
 * `action:<id>:assigned`), which the decision's own job sends whenever it runs, and which a Done
 * draws again without ':memo:'.
 */
const dms = (user: string) =>
  standin
    .messagesIn(`D_${user}`)
    .filter(
      (m) =>
        !/^action:\d+:assigned$/.test(
          String((m.metadata?.event_payload as { post_key?: unknown } | undefined)?.post_key),
        ),
    );
type Kind = 'before' | 'due' | 'overdue';
const remind = (actionId: string, kind: Kind, occurrence: string) =>
  h.runAgain('action-reminder', { actionId, kind, occurrence }, 'notifications');

/** The buttons block of action `id`, as every reminder shows it. */
const buttons = actionButtonsBlock;
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

beforeAll(async () => {
  ({ db, standin, driver } = h);
  const fam = await insertFamilies(db);
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  const run = await insertRun(db, {
    cycleId,
    runKey: 'reminder-digest',
    periods: ['2027-03'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  const rec = await recordDecision(
    { db, queue: h.queues, clock },
    {
      cycleId,
      pollId: null,
      scenarioId: run.ids.central!,
      rationale: 'Service first',
      decidedBy: EXEC,
      requestKey: 'digest-decision',
      actions: [
        { owner: OPS, description: 'Book weekend overtime' },
        { owner: OPS, description: 'Call <!channel> & the supplier' },
        { owner: OPS, description: 'Count the safety stock' },
        { owner: EXEC, description: 'Approve the overtime budget' },
      ].map((a) => ({ ...a, dueDate: '2027-03-17' })),
    },
  );
  const ids = rec.actions.map((a) => a.id);
  [a1, a2, a3, solo] = ids as [string, string, string, string];
  // The decision's job has sent OPS's three assignment DMs before any reminder runs.
  await standin.waitFor(() => {
    const m = standin.messagesIn(`D_${OPS}`).filter((x) => x.text.startsWith(':memo:'));
    return m.length === 3 ? m : null;
  }, 20_000);
}, 60_000);

describe('one reminder DM a morning per owner', () => {
  let digestTs: string;
  /** How many DMs OPS had before the morning of 2027-03-17. */
  let morning: number;

  it('three actions due the same day: one DM at 09:00 lists the three; the other jobs and a retry send nothing', async () => {
    clock.set('2027-03-17T09:00:00Z');
    const before = dms(OPS).length;
    morning = before;
    expect(await remind(a2!, 'due', '2027-03-17')).toEqual({ result: 'sent' });
    expect(await remind(a1!, 'due', '2027-03-17')).toEqual({ result: 'in_digest' });
    expect(await remind(a3!, 'due', '2027-03-17')).toEqual({ result: 'in_digest' });
    // The job that sent it, delivered again.
    expect(await remind(a2!, 'due', '2027-03-17')).toEqual({ result: 'in_digest' });

    const sent = dms(OPS).slice(before);
    expect(sent).toHaveLength(1);
    const dm = sent[0]!;
    digestTs = dm.ts;
    expect(dm.text).toBe(
      `:bell: 3 follow-up actions need your attention today: #${a1} Book weekend overtime (due today); #${a2} Call &lt;!channel&gt; &amp; the supplier (due today); #${a3} Count the safety stock (due today)`,
    );
    expect(dm.blocks).toEqual([
      section('*:bell: 3 follow-up actions need your attention today*'),
      section(`*#${a1}* Book weekend overtime\n:alarm_clock: due today · due *2027-03-17*`),
      buttons(a1!),
      section(
        `*#${a2}* Call &lt;!channel&gt; &amp; the supplier\n:alarm_clock: due today · due *2027-03-17*`,
      ),
      buttons(a2!),
      section(`*#${a3}* Count the safety stock\n:alarm_clock: due today · due *2027-03-17*`),
      buttons(a3!),
    ]);
  });

  it('Done on the second item redraws the digest with that item done, the others untouched; a double click changes nothing more', async () => {
    clock.set('2027-03-17T09:05:00Z');
    const count = dms(OPS).length;
    for (let i = 0; i < 2; i++) {
      const ack = await driver.clickButton(`D_${OPS}`, digestTs, 'action_done', {
        user: OPS,
        blockId: `action_${a2}`,
      });
      expect(ack.status).toBe(200);
    }
    await pollUntil(
      () =>
        db.selectFrom('actions').select('status').where('id', '=', a2!).executeTakeFirstOrThrow(),
      (r) => r.status === 'done',
    );
    const redrawn = await standin.waitFor(
      () =>
        dms(OPS).find(
          (m) => m.ts === digestTs && JSON.stringify(m.blocks).includes('white_check_mark'),
        ),
      20_000,
    );
    expect(redrawn.blocks).toEqual([
      section('*:bell: 3 follow-up actions need your attention today*'),
      section(`*#${a1}* Book weekend overtime\n:alarm_clock: due today · due *2027-03-17*`),
      buttons(a1!),
      section(
        `*#${a2}* Call &lt;!channel&gt; &amp; the supplier\n:white_check_mark: done on its due date · due *2027-03-17*`,
      ),
      section(`*#${a3}* Count the safety stock\n:alarm_clock: due today · due *2027-03-17*`),
      buttons(a3!),
    ]);
    expect(dms(OPS)).toHaveLength(count);
    const statuses = await db
      .selectFrom('actions')
      .select(['id', 'status'])
      .where('owner', '=', OPS)
      .orderBy('id')
      .execute();
    expect(statuses.map((r) => r.status)).toEqual(['open', 'done', 'open']);
  });

  it('an action created after the digest went out still gets its own reminder that morning', async () => {
    clock.set('2027-03-17T09:30:00Z');
    const before = dms(OPS).length;
    // Added by hand (as a weekly S&OE check or a later decision would): after the digest.
    const { id: late } = await db
      .insertInto('actions')
      .values({
        cycle_id: cycleId,
        decision_id: (await db.selectFrom('decisions').select('id').executeTakeFirstOrThrow()).id,
        description: 'Call the carrier',
        owner: OPS,
        due_date: '2027-03-17',
        created_by: EXEC,
        request_key: 'digest-late',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await remind(late, 'due', '2027-03-17')).toEqual({ result: 'sent' });
    const sent = dms(OPS).slice(before);
    // Its own DM only: the morning's others are not sent again.
    expect(sent.map((m) => m.text)).toEqual([
      `:alarm_clock: Due today: #${late} Call the carrier (due 2027-03-17)`,
    ]);
    // The morning's reminders, all told: the digest of three and this one.
    expect(dms(OPS).slice(morning)).toHaveLength(2);
  });

  it('the next morning the overdue reminders are one digest again, and each schedules its next', async () => {
    clock.set('2027-03-18T09:00:00Z');
    const before = dms(OPS).length;
    const late = (
      await db
        .selectFrom('actions')
        .select('id')
        .where('description', '=', 'Call the carrier')
        .executeTakeFirstOrThrow()
    ).id;
    expect(await remind(a3!, 'overdue', 'overdue-1')).toEqual({ result: 'sent' });
    expect(await remind(a1!, 'overdue', 'overdue-1')).toEqual({ result: 'in_digest' });
    expect(await remind(late, 'overdue', 'overdue-1')).toEqual({ result: 'in_digest' });
    const sent = dms(OPS).slice(before);
    expect(sent.map((m) => m.text)).toEqual([
      `:bell: 3 follow-up actions need your attention today: #${a1} Book weekend overtime (1 day overdue); #${a3} Count the safety stock (1 day overdue); #${late} Call the carrier (1 day overdue)`,
    ]);
    // Sent in the digest or not, each overdue job queued the reminder of the day after.
    const notifications = h.queues.queue('notifications');
    for (const id of [a1!, a3!, late]) {
      const next = jobId(
        'action-reminder',
        parsePayload('action-reminder', { actionId: id, kind: 'overdue', occurrence: 'overdue-2' }),
      );
      expect(await notifications.getJob(next), `overdue-2 of #${id}`).toBeTruthy();
    }
  });

  it('an owner with one action reminded that morning gets the reminder DM as before', async () => {
    clock.set('2027-03-17T09:00:00Z');
    const before = dms(EXEC).length;
    expect(await remind(solo!, 'due', '2027-03-17')).toEqual({ result: 'sent' });
    const sent = dms(EXEC).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toBe(
      `:alarm_clock: Due today: #${solo} Approve the overtime budget (due 2027-03-17)`,
    );
    expect(sent[0]!.blocks).toEqual([
      section(`:alarm_clock: Due today\n*#${solo}* Approve the overtime budget\nDue *2027-03-17*`),
      buttons(solo!),
    ]);
    // Done on it replaces it with the Done message, as before.
    await driver.clickButton(`D_${EXEC}`, sent[0]!.ts, 'action_done', { user: EXEC });
    const done = await standin.waitFor(
      () => dms(EXEC).find((m) => m.ts === sent[0]!.ts && m.text.startsWith(':white_check_mark:')),
      20_000,
    );
    expect(done.text).toBe(
      `:white_check_mark: #${solo} Approve the overtime budget: done on its due date (marked by <@${EXEC}>). Reminders stopped.`,
    );
  });
});

/** Actions of `owner` due `due`, straight into Postgres (their reminders are run by hand). */
async function insertActions(owner: string, due: string, descriptions: readonly string[]) {
  const decisionId = (await db.selectFrom('decisions').select('id').executeTakeFirstOrThrow()).id;
  const ids: string[] = [];
  for (const [n, description] of descriptions.entries()) {
    const { id } = await db
      .insertInto('actions')
      .values({
        cycle_id: cycleId,
        decision_id: decisionId,
        description,
        owner,
        due_date: due,
        created_by: EXEC,
        request_key: `digest-many-${owner}-${n}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(id);
  }
  return ids;
}

type Block = { type: string; block_id?: string; elements?: { text: string }[] };
/** The ids of the actions whose buttons a digest shows. */
const withButtons = (blocks: readonly Block[]) =>
  blocks.flatMap((b) => (b.type === 'actions' && b.block_id ? [b.block_id.slice(7)] : []));

describe('a digest of more actions than it has buttons for', () => {
  it('13 due one morning: each with its buttons, as one message holds them all', async () => {
    clock.set('2027-03-24T09:00:00Z');
    const ids = await insertActions(
      PAM,
      '2027-03-24',
      Array.from({ length: 13 }, (_, i) => `Task ${i + 1}`),
    );
    expect(await remind(ids[12]!, 'due', '2027-03-24')).toEqual({ result: 'sent' });
    // The eleventh and later are in the digest: no DM of their own.
    expect(await remind(ids[10]!, 'due', '2027-03-24')).toEqual({ result: 'in_digest' });
    const sent = dms(PAM);
    expect(sent).toHaveLength(1);
    const blocks = sent[0]!.blocks as Block[];
    // A header and 13 × (the action, its buttons): 27 blocks of Slack's 50. Each item is some
    // 700 characters of JSON (its buttons 571), 13 of them some 9,100 of the 11,000 a message
    // keeps to: before, the eleventh to thirteenth had no buttons, only "…and 3 more".
    expect(blocks).toHaveLength(27);
    expect(blocks[0]).toEqual(section('*:bell: 13 follow-up actions need your attention today*'));
    expect(withButtons(blocks)).toEqual(ids);
    expect(JSON.stringify(blocks)).not.toContain('more actions');
    // The notification text names all 13.
    expect(sent[0]!.text).toContain(`#${ids[12]} Task 13 (due today)`);
  });

  it('long descriptions full of <, > and &: the digest goes out with the items Slack takes, each with its buttons, and counts the rest', async () => {
    clock.set('2027-03-25T09:00:00Z');
    // 300 characters each (what an item shows of a description), every one escaped for
    // mrkdwn: "<&>" is "&lt;&amp;&gt;", 13 characters for 3, so each item holds some 1,300
    // characters of text and 1,900 of JSON with its buttons. Ten of them are 19,000 characters
    // of blocks: Slack refuses that (msg_blocks_too_long), and before, the digest of ten never
    // went out, nor any reminder of the ten that morning.
    const ids = await insertActions(
      KIT,
      '2027-03-25',
      Array.from({ length: 10 }, (_, i) => `${i} ${'<&>'.repeat(100)}`),
    );
    expect(await remind(ids[0]!, 'due', '2027-03-25')).toEqual({ result: 'sent' });
    expect(await remind(ids[9]!, 'due', '2027-03-25')).toEqual({ result: 'in_digest' });
    const sent = dms(KIT);
    expect(sent).toHaveLength(1);
    const blocks = sent[0]!.blocks as Block[];
    const shown = withButtons(blocks);
    // An item as JSON: its section, {"type":"section","text":{"type":"mrkdwn","text":"…"}} (52)
    // around "*#NN* " (6), the description cut to 299 characters and "…", escaped ("0 " then
    // 99 × "<&>" = 2 + 99 × 13 + 1 = 1,290), "\n" (2 in JSON), ":alarm_clock: due today · due
    // *2027-03-25*" (42): 1,392; its buttons 571 and two commas: about 1,965. The header and
    // "…and 5 more actions: …" take some 330 of the 11,000: 5 items (9,825), not 6 (11,790).
    expect(shown).toEqual(ids.slice(0, 5));
    // Within what a message keeps to, and one more item would not have been.
    const size = JSON.stringify(blocks).length;
    expect(size).toBeLessThanOrEqual(11_000);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const item = JSON.stringify(blocks[1]).length + JSON.stringify(blocks[2]).length + 2;
    expect(size + item).toBeGreaterThan(11_000);
    expect(blocks.at(-1)).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `_…and ${10 - shown.length} more actions: Done, Snooze and Reassign for them are in App Home (the Home tab of sopbot); \`/sop actions me\` lists them all._`,
        },
      ],
    });
    // Done on the first redraws it in place, within the limits still.
    await driver.clickButton(`D_${KIT}`, sent[0]!.ts, 'action_done', { user: KIT });
    const redrawn = await standin.waitFor(() => {
      const m = dms(KIT).find((x) => x.ts === sent[0]!.ts);
      return m && !withButtons(m.blocks as Block[]).includes(ids[0]!) ? m : null;
    }, 20_000);
    expect(JSON.stringify(redrawn.blocks)).toContain(':white_check_mark: done on its due date');
    expect(JSON.stringify(redrawn.blocks).length).toBeLessThanOrEqual(11_000);
  });
});

describe("a digest of the weekly S&OE check's actions", () => {
  it('Done on one drops its "To do" with its buttons; the other keeps both', async () => {
    clock.set('2027-03-31T09:00:00Z');
    // Two actions the weekly check raised (no decision), straight into Postgres.
    const ids: string[] = [];
    for (const [n, description] of ['FAM-1 sold 250', 'SUP-1 delivered 600 of 1,000'].entries()) {
      const { id } = await db
        .insertInto('actions')
        .values({
          cycle_id: cycleId,
          decision_id: null,
          description,
          owner: SOE,
          due_date: '2027-03-31',
          created_by: 'sopbot',
          request_key: `digest-soe-${n}`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(id);
    }
    const [x1, x2] = ids as [string, string];
    expect(await remind(x1, 'due', '2027-03-31')).toEqual({ result: 'sent' });
    expect(await remind(x2, 'due', '2027-03-31')).toEqual({ result: 'in_digest' });
    const [dm] = dms(SOE);
    const task = `From the weekly S&OE check. ${DEVIATION_TASK}`;
    expect(dm?.blocks).toEqual([
      section('*:bell: 2 follow-up actions need your attention today*'),
      section(`*#${x1}* FAM-1 sold 250\n:alarm_clock: due today · due *2027-03-31*\n${task}`),
      buttons(x1),
      section(
        `*#${x2}* SUP-1 delivered 600 of 1,000\n:alarm_clock: due today · due *2027-03-31*\n${task}`,
      ),
      buttons(x2),
    ]);
    await driver.clickButton(`D_${SOE}`, dm!.ts, 'action_done', {
      user: SOE,
      blockId: `action_${x1}`,
    });
    const redrawn = await standin.waitFor(
      () =>
        dms(SOE).find(
          (m) => m.ts === dm!.ts && JSON.stringify(m.blocks).includes('white_check_mark'),
        ),
      20_000,
    );
    // Before: the done item still read "To do: … then mark the action Done."
    expect(redrawn.blocks).toEqual([
      section('*:bell: 2 follow-up actions need your attention today*'),
      section(
        `*#${x1}* FAM-1 sold 250\n:white_check_mark: done on its due date · due *2027-03-31*\nFrom the weekly S&OE check.`,
      ),
      section(
        `*#${x2}* SUP-1 delivered 600 of 1,000\n:alarm_clock: due today · due *2027-03-31*\n${task}`,
      ),
      buttons(x2),
    ]);
  });
});
