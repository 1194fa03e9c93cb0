/**
 * /forecast and /capacity end to end: the real bot (sopbot's composition root) over HTTP,
 * driven by the Slack stand-in, with real Postgres and Redis.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { storedUserNames } from '../../db/queries/user-names.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { type HttpTestBot, startHttpTestBot } from '../helpers/bot.js';
import { auditEntries } from '../helpers/db.js';
import { type ChangeAnswers, changeModalValues, commandEphemeral } from '../helpers/slack.js';
import { insertFamilies, seedForecastCycle } from './meeting-fixture.js';

let running: HttpTestBot;
let db: Db;
let standin: Standin;
let driver: Driver;
let redis: Redis;
let queues: Queues;
let cycleId: number;

const REP = 'U_ALICE';
const OPS = 'U_BOB';
const NOBODY = 'U_CARA';
/**
 * The rep's and operations' Slack names: a thread note names them in plain text, escaped (a
 * name is typed), where it mentioned them for what they did.
 */
const REP_NAME = 'Alice <Sales> & co';
const REP_SHOWN = 'Alice &lt;Sales&gt; &amp; co';
const OPS_NAME = 'Bob & <Ops>';
const OPS_SHOWN = 'Bob &amp; &lt;Ops&gt;';

async function rows(familyCode = 'FAM-1') {
  return db
    .selectFrom('forecast_adjustments')
    .innerJoin('families', 'families.id', 'forecast_adjustments.family_id')
    .selectAll('forecast_adjustments')
    .where('families.code', '=', familyCode)
    .orderBy('forecast_adjustments.id')
    .execute();
}

async function recomputeJobs() {
  const jobs = await queues.queue('planning').getJobs(['delayed', 'waiting', 'active']);
  return jobs.filter((j) => j.name === 'recompute');
}

/** Opens /forecast (or /capacity) as `user` and returns the filled-in modal's view id. */
async function openModal(command: '/forecast' | '/capacity', user: string): Promise<string> {
  const ack = await driver.command(command, { user, channel: 'C_DEMAND' });
  expect(ack.status).toBe(200);
  return standin.waitFor(() => {
    const v = standin.openViews(user).at(-1);
    return v && String(v.definition.callback_id ?? '').endsWith('_submit') ? v.id : undefined;
  });
}

/** `/forecast` (in C_DEMAND) or `/capacity` (in C_SUPPLY) with text, and its ephemeral answer. */
const typed = (command: '/forecast' | '/capacity', user: string, text: string) =>
  commandEphemeral(running, command, user, text, {
    channel: command === '/forecast' ? 'C_DEMAND' : 'C_SUPPLY',
  });

const lastEphemeral = (user: string, n: number) =>
  standin.waitFor(() => {
    const all = standin.ephemeralsFor(user);
    return all.length >= n ? all[n - 1] : undefined;
  });

beforeAll(async () => {
  running = await startHttpTestBot('slack-forecast', {
    standin: { postMessageRate: false },
    env: { REDIS_URL: 'redis://127.0.0.1:6379', SOPBOT_RECOMPUTE_DEBOUNCE_MS: '60000' },
  });
  ({ standin, driver } = running);
  standin.store.users.set(REP, { id: REP, name: REP_NAME, real_name: 'Alice Martin', tz: 'UTC' });
  standin.store.users.set(OPS, { id: OPS, name: OPS_NAME, real_name: 'Bob Chen', tz: 'UTC' });
  db = running.t.db;
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  queues = createQueues(redis, running.prefix);

  const { fam1 } = await insertFamilies(db, { code: 'LINE-2', name: 'Assembly line 2' });
  cycleId = await seedForecastCycle(db, fam1, { rep: REP, ops: OPS, months: 18 });
});

afterAll(async () => {
  await queues?.close();
  redis?.disconnect();
  await running?.stop();
});

describe('/forecast', () => {
  it('a rep opens the modal, picks a family (baseline shown), submits: stored, confirmed, summarised, audited, recompute queued', async () => {
    const viewId = await openModal('/forecast', REP);
    expect(standin.callsTo('views.open')[0]?.args.view).toMatchObject({
      callback_id: 'forecast_submit_loading',
    });
    const modal = standin.store.views.get(viewId)!.definition;
    const targetBlock = (
      modal.blocks as {
        block_id?: string;
        element?: { option_groups?: { label: { text: string }; options: { value: string }[] }[] };
      }[]
    )[0];
    expect(targetBlock?.element?.option_groups?.[0]).toMatchObject({
      label: { text: 'Your families' },
      options: [{ value: 'FAM-1' }],
    });

    // Slack sends the whole form's state with the dispatched action.
    await driver.selectOption(viewId, 'forecast_target_pick', 'FAM-1', {
      user: REP,
      values: {
        from: { from_pick: '2027-07' },
        value: { value_input: '15' },
        reason: { reason_pick: 'promotion' },
      },
    });
    const table = await standin.waitFor(() => {
      const text = JSON.stringify(standin.store.views.get(viewId)?.definition.blocks ?? []);
      return text.includes('Baseline') ? text : undefined;
    });
    expect(table).toContain('2027-01');
    expect(table).toContain('1,000');
    expect(table).toMatch(/2027-01\s+1,000\s+1,000 frozen/);
    expect(table).toMatch(/2027-03\s+1,000\s+1,000 slushy/);

    const submitted = await driver.submitView(viewId, {
      values: changeModalValues({
        target: 'FAM-1',
        from: '2027-07',
        to: '2027-09',
        kind: 'delta_pct',
        value: '15',
        reason: 'promotion',
      }),
    });
    expect(submitted.outcome.action).toBe('updated');
    const confirmation = JSON.stringify(standin.store.views.get(viewId)?.definition);
    expect(confirmation).toContain('Saved');
    expect(confirmation).toMatch(/2027-07\s+1,000 → 1,150/);
    const ephemeral = await lastEphemeral(REP, 1);
    expect(ephemeral.channel).toBe('C_DEMAND');
    expect(ephemeral.text).toBe(
      'Forecast adjustment saved: FAM-1 2027-07..2027-09 +15% (promotion).',
    );
    expect(JSON.stringify(ephemeral.blocks)).toMatch(/2027-09\s+1,000 → 1,150/);

    const stored = await rows();
    expect(
      stored.map((r) => [
        r.period,
        r.kind,
        r.value,
        r.before_value,
        r.after_value,
        r.status,
        r.source,
      ]),
    ).toEqual([
      ['2027-07', 'delta_pct', 15, 1000, 1150, 'accepted', 'modal'],
      ['2027-08', 'delta_pct', 15, 1000, 1150, 'accepted', 'modal'],
      ['2027-09', 'delta_pct', 15, 1000, 1150, 'accepted', 'modal'],
    ]);

    const summary = await standin.waitFor(() => standin.messagesIn('C_DEMAND')[0]);
    expect(summary.text).toContain('Demand review 2027-01');
    expect(JSON.stringify(summary.blocks)).toContain('FAM-1');
    const replies = await standin.waitFor(() => {
      const r = standin.threadReplies('C_DEMAND', summary.ts);
      return r.length === 1 ? r : undefined;
    });
    // The note records what the rep did: it names them, and pings nobody.
    expect(replies[0]?.text).toContain(`${REP_SHOWN} *FAM-1* 2027-07..2027-09 +15% (promotion)`);
    expect(replies[0]?.text).not.toContain(`<@${REP}>`);

    const audit = await auditEntries(db, 'forecast.adjust');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: REP, entity: 'family', entity_id: 'FAM-1' });

    const queued = await recomputeJobs();
    expect(queued).toHaveLength(1);
    expect(queued[0]?.data).toMatchObject({ cycleId, reason: 'submission', requestedBy: REP });
  });

  it('a second submission (text form) edits the one summary in place and adds a threaded reply', async () => {
    const confirm = await typed(
      '/forecast',
      REP,
      'FAM-1 2027-08 -150 lost-customer "Retailer X closed"',
    );
    expect(confirm.text).toContain('Forecast adjustment saved: FAM-1 2027-08 -150 (lost customer)');
    // The rep's latest adjustment of a month replaces their earlier one (core consensus rule).
    expect(JSON.stringify(confirm.blocks)).toMatch(/2027-08\s+1,150 → 850/);
    const summary = standin.messagesIn('C_DEMAND');
    expect(summary).toHaveLength(1);
    await standin.waitFor(() => standin.threadReplies('C_DEMAND', summary[0]!.ts).length === 2);
    expect(summary[0]?.edited).toBeDefined();
    expect(standin.callsTo('chat.update')).toHaveLength(1);
    // The head and the family's line count the same thing: months adjusted.
    const blocks = JSON.stringify(standin.messagesIn('C_DEMAND')[0]?.blocks);
    expect(blocks).toContain('4 adjustment months so far.');
    expect(blocks).toContain('• *FAM-1*: 4 adjustment months by 1 person');
    // Its text (the channel list's preview, a screen reader) is drawn again with the blocks:
    // cycle 2027-01, FAM-1's three months of the first submission and 2027-08 of this one.
    expect(standin.messagesIn('C_DEMAND')[0]?.text).toBe(
      'Demand review 2027-01: 4 adjustment months so far, for 1 family.',
    );
    expect(await recomputeJobs()).toHaveLength(1); // debounced: still one pending recompute
  });

  it('an invalid submission shows inline errors and stores nothing', async () => {
    const before = (await rows()).length;
    const viewId = await openModal('/forecast', REP);
    // Each answer is refused with its field's error, in the same open modal.
    const refused: [Omit<ChangeAnswers, 'target'>, Record<string, unknown>][] = [
      [
        { from: '2027-09', to: '2027-07', kind: 'delta_units', value: '200', reason: 'launch' },
        { to: 'The range ends (2027-07) before it starts (2027-09).' },
      ],
      [
        { from: '2027-09', kind: 'delta_units', value: 'lots', reason: 'other' },
        { value: expect.stringContaining('"lots" is not a number') },
      ],
      [
        { from: '2027-09', kind: 'delta_pct', value: '40', reason: 'launch' },
        { comment: expect.stringContaining('more than 20%') },
      ],
      // A decimal comma is not a thousands separator: 1,5 is not 15.
      [
        { from: '2027-09', kind: 'delta_units', value: '1,5', reason: 'other' },
        {
          value:
            '"1,5": use a dot for decimals (1.5); a comma only separates thousands, as in 1,000.',
        },
      ],
      // A % in a field of units is not dropped: 15% is not 15 units.
      [
        { from: '2027-09', kind: 'set', value: '15%', reason: 'other' },
        {
          value: '"15%": Set to (units) is in units, not %; enter 15, or choose Change by % (+/-).',
        },
      ],
    ];
    for (const [answers, errors] of refused) {
      const res = await driver.submitView(viewId, {
        values: changeModalValues({ target: 'FAM-1', ...answers }),
      });
      expect(res.outcome).toEqual({ action: 'errors', errors });
    }
    expect(standin.openViews(REP)).toHaveLength(1);
    expect(await rows()).toHaveLength(before);
  });

  it('an adjustment in the frozen zone is refused with the reason (modal and text)', async () => {
    const before = (await rows()).length;
    const viewId = await openModal('/forecast', REP);
    const frozen = await driver.submitView(viewId, {
      values: changeModalValues({
        target: 'FAM-1',
        from: '2027-02',
        kind: 'delta_units',
        value: '50',
        reason: 'promotion',
      }),
    });
    const refusal = (month: string) =>
      `${month} is in the frozen zone (months 1–2 from 2027-01), where the plan is locked so operations can execute it. Only Executive or Admin members can change it, as a flagged executive exception.`;
    // Nobody is an executive or an admin here yet: it says so, and how one is made (it said
    // "ask one of them", naming nobody).
    expect(frozen.outcome).toEqual({
      action: 'errors',
      errors: {
        from: `${refusal('2027-02')} Nobody holds those roles yet: an admin gives one with "/sop role".`,
      },
    });
    const reply = await typed('/forecast', REP, 'FAM-1 2027-01 =900 promotion');
    expect(reply.text).toBe(
      `:warning: ${refusal('2027-01')} Nobody holds those roles yet: an admin gives one with \`/sop role\`.`,
    );

    // An executive and an admin: named, and the command they make the change with. The modal's
    // error is plain text, so by name ("@cleo") and the command in quotes.
    const people = [
      { id: 'U_CLEO', name: 'cleo', role: 'exec' as const },
      { id: 'U_ADA', name: 'ada', role: 'admin' as const },
    ];
    for (const p of people) standin.store.users.set(p.id, { ...p, real_name: p.name, tz: 'UTC' });
    await db
      .insertInto('members')
      .values(people.map((p) => ({ slack_user_id: p.id, role: p.role })))
      .execute();
    const frozenChange = {
      values: changeModalValues({
        target: 'FAM-1',
        from: '2027-02',
        kind: 'delta_units',
        value: '50',
        reason: 'promotion',
      }),
    };
    // The form is answered before Slack says their names: Slack holds both questions, and the
    // answer names them by the ids, the names not known yet (it waited for users.info, five
    // calls at most, before its ack).
    const held = people.map((p) => standin.holdNext('users.info', { channel: p.id }));
    const unnamed = await driver.submitView(await openModal('/forecast', REP), frozenChange);
    expect(unnamed.outcome).toEqual({
      action: 'errors',
      errors: {
        from: `${refusal('2027-02')} Ask @U_ADA or @U_CLEO to make this change with "/forecast" (typed or in its form).`,
      },
    });
    // Asked meanwhile: once Slack answers, the names are kept, and the next refusal says them.
    for (const c of held) c.release();
    await standin.waitFor(async () => (await storedUserNames(db, ['U_ADA', 'U_CLEO'])).size === 2);
    const named = await driver.submitView(await openModal('/forecast', REP), frozenChange);
    expect(named.outcome).toEqual({
      action: 'errors',
      errors: {
        from: `${refusal('2027-02')} Ask @ada or @cleo to make this change with "/forecast" (typed or in its form).`,
      },
    });
    expect((await typed('/forecast', REP, 'FAM-1 2027-01 =900 promotion')).text).toBe(
      `:warning: ${refusal('2027-01')} Ask <@U_ADA> or <@U_CLEO> to make this change with \`/forecast\` (typed or in its form).`,
    );
    // Past five, the rest are counted: six executives and the admin, ids in order.
    const execs = ['U_E1', 'U_E2', 'U_E3', 'U_E4', 'U_E5'];
    await db
      .insertInto('members')
      .values(execs.map((id) => ({ slack_user_id: id, role: 'exec' as const })))
      .execute();
    expect((await typed('/forecast', REP, 'FAM-1 2027-01 =900 promotion')).text).toBe(
      `:warning: ${refusal('2027-01')} Ask <@U_ADA>, <@U_CLEO>, <@U_E1>, <@U_E2>, <@U_E3> or 2 more to make this change with \`/forecast\` (typed or in its form).`,
    );
    await db
      .deleteFrom('members')
      .where('slack_user_id', 'in', [...people.map((p) => p.id), ...execs])
      .execute();
    expect(await rows()).toHaveLength(before);
  });

  it('a change of 0 is refused with what to do instead: a rep declares no change, with the command', async () => {
    const before = (await rows()).length;
    expect((await typed('/forecast', REP, 'FAM-1 2027-07 +0 promotion')).text).toBe(
      ':warning: A change of 0 changes nothing: give the change you mean. A sales rep with nothing to change declares no change for their families instead, with `/forecast no-change`.' +
        '\nExpected: `/forecast FAM-12 2027-03..2027-05 +15% promotion "Spring campaign"`',
    );
    expect(await rows()).toHaveLength(before);
  });

  it('a slushy month is accepted and flagged', async () => {
    const reply = await typed('/forecast', REP, 'FAM-1 2027-04 +5% market-intelligence');
    expect(JSON.stringify(reply.blocks)).toContain('Flagged for review: 2027-04');
    const r = (await rows()).filter((x) => x.period === '2027-04');
    expect(r.map((x) => [x.status, x.zone, x.after_value])).toEqual([['flagged', 'slushy', 1050]]);
  });

  it('months flagged together are explained once, not once a month', async () => {
    // Fences 2 frozen, 4 slushy from 2027-01: 2027-05 and 2027-06 are both slushy.
    const reply = await typed('/forecast', REP, 'FAM-1 2027-05..2027-06 +5% market-intelligence');
    const notes = JSON.stringify(reply.blocks).match(/:triangular_flag_on_post:[^"]*/g);
    expect(notes).toEqual([
      ':triangular_flag_on_post: Flagged for review: 2027-05, 2027-06 (slushy zone: accepted).',
    ]);
  });

  it('a decimal comma in the text is refused, not read as thousands', async () => {
    const before = (await rows()).length;
    for (const [change, dot] of [
      ['-0,5%', '-0.5%'],
      ['=1,5', '=1.5'],
    ]) {
      const reply = await typed('/forecast', REP, `FAM-1 2027-08 ${change} promotion`);
      expect(reply.text).toContain(
        `:warning: \`${change}\`: use a dot for decimals (${dot}); a comma only separates thousands, as in 1,000.`,
      );
    }
    expect(await rows()).toHaveLength(before);
  });

  it('N/A, a dash for a minus, brackets, full-width digits, money and exponents are told what to write, in the modal and the text', async () => {
    // Before: each got "is not a number" (the modal) or "is not a change" (the text) alone.
    const before = (await rows()).length;
    // The form the earlier tests left open is not this one: wait for a new view.
    const earlier = new Set(standin.openViews(REP).map((v) => v.id));
    await driver.command('/forecast', { user: REP, channel: 'C_DEMAND' });
    const viewId = await standin.waitFor(() => {
      const v = standin.openViews(REP).at(-1);
      return v && !earlier.has(v.id) && String(v.definition.callback_id ?? '').endsWith('_submit')
        ? v.id
        : undefined;
    });
    const modal: [string, string, string][] = [
      [
        'set',
        'N/A',
        '"N/A" is no number: to leave the forecast as it is, close the form; for none, choose Set to (units) and enter 0.',
      ],
      [
        'delta_units',
        '(120)',
        '"(120)" is an accounting negative (a number in brackets): write -120.',
      ],
      [
        'delta_units',
        '–120',
        `"–120" uses an en dash (–) for a minus sign: type the keyboard's hyphen-minus, -120.`,
      ],
      ['set', '１２０', '"１２０" is written in full-width characters: write 120.'],
      ['set', '$1,200', '"$1,200" has a currency sign ($): write 1,200.'],
      ['set', '1,2E+03', '"1,2E+03" is in scientific notation: write 1200.'],
      // French Excel: a narrow no-break space groups thousands, a comma marks the decimals.
      [
        'set',
        '1\u202f200,5',
        '"1\u202f200,5": use a dot for decimals (1200.5); a comma only separates thousands, as in 1,000.',
      ],
    ];
    for (const [kind, value, error] of modal) {
      const res = await driver.submitView(viewId, {
        values: changeModalValues({
          target: 'FAM-1',
          from: '2027-09',
          kind,
          value,
          reason: 'other',
        }),
      });
      expect(res.outcome, value).toEqual({ action: 'errors', errors: { value: error } });
    }
    const text: [string, string][] = [
      [
        'N/A',
        '`N/A` is no number: to leave the forecast as it is, send no change; for none, write =0.',
      ],
      [
        '–15%',
        "`–15%` uses an en dash (–) for a minus sign: type the keyboard's hyphen-minus, -15%.",
      ],
      ['=(120)', '`=(120)` is an accounting negative (a number in brackets): write =-120.'],
      ['=1e3', '`=1e3` is in scientific notation: write =1000.'],
      ['=€1.200', '`=€1.200` has a currency sign (€): write the number alone, without it.'],
    ];
    for (const [change, error] of text) {
      const reply = await typed('/forecast', REP, `FAM-1 2027-09 ${change} other`);
      expect(reply.text, change).toContain(`:warning: ${error}`);
    }
    expect(await rows()).toHaveLength(before);
  });

  it("a family's name with a right-to-left override shows in the form's options without it", async () => {
    // A name imported as "Road \u202Esekib": the option's plain text read "FAM-1 — Road bikes"
    // reversed after the override, and so would the rest of the line.
    await db
      .updateTable('families')
      .set({ name: 'Road \u202Ebikes\u202C \u2067x\u2069' })
      .where('code', '=', 'FAM-1')
      .execute();
    try {
      const earlier = new Set(standin.openViews(REP).map((v) => v.id));
      await driver.command('/forecast', { user: REP, channel: 'C_DEMAND' });
      const view = await standin.waitFor(() => {
        const v = standin.openViews(REP).at(-1);
        return v && !earlier.has(v.id) && String(v.definition.callback_id ?? '').endsWith('_submit')
          ? v
          : undefined;
      });
      const shown = JSON.stringify(view.definition);
      expect(shown).toContain('FAM-1 — Road bikes x');
      expect(shown).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    } finally {
      await db
        .updateTable('families')
        .set({ name: 'Road bikes' })
        .where('code', '=', 'FAM-1')
        .execute();
    }
  });

  it('bad text gets the expected syntax back', async () => {
    const reply = await typed('/forecast', REP, 'FAM-1 2027-08 lots promotion');
    expect(reply.text).toContain('`lots` is not a change');
    expect(reply.text).toContain(
      'Expected: `/forecast FAM-12 2027-03..2027-05 +15% promotion "Spring campaign"`',
    );
  });

  it('a retried submission and a double-clicked submit each store one row', async () => {
    const viewId = await openModal('/forecast', REP);
    const answers: ChangeAnswers = {
      target: 'FAM-1',
      from: '2027-10',
      kind: 'set',
      value: '1300',
      reason: 'new_customer',
      comment: 'Signed with Velo Store',
    };
    const values = changeModalValues(answers);
    const first = await driver.submitView(viewId, { values });
    expect(first.outcome).toMatchObject({ action: 'updated' });
    const retry = await driver.resend(first.request, { retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    expect((await rows()).filter((r) => r.period === '2027-10')).toHaveLength(1);

    const twice = await openModal('/forecast', REP);
    const v2 = changeModalValues({ ...answers, from: '2027-11' });
    const [a, b] = await Promise.all([
      driver.submitView(twice, { values: v2 }),
      driver.submitView(twice, { values: v2 }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await rows()).filter((r) => r.period === '2027-11')).toHaveLength(1);

    const n = standin.ephemeralsFor(REP).length;
    const cmd = await driver.command('/forecast', {
      user: REP,
      channel: 'C_DEMAND',
      text: 'FAM-1 2027-12 +10 launch',
    });
    await lastEphemeral(REP, n + 1);
    await driver.resend(cmd.request, { retryNum: 1 });
    await lastEphemeral(REP, n + 2);
    expect((await rows()).filter((r) => r.period === '2027-12')).toHaveLength(1);
    const audits = await auditEntries(db, 'forecast.adjust');
    const keys = audits.map((a) => (a.details as { requestKey: string }).requestKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('no-change is recorded once per family', async () => {
    await driver.command('/forecast', { user: REP, channel: 'C_DEMAND', text: 'no-change' });
    await driver.command('/forecast', { user: REP, channel: 'C_DEMAND', text: 'no-change' });
    await standin.waitFor(
      () =>
        standin.ephemeralsFor(REP).filter((e) => e.text.includes('no change this cycle')).length ===
        2,
    );
    const decl = await db.selectFrom('no_change_declarations').selectAll().execute();
    expect(decl).toHaveLength(1);
    // A declaration is input too: the demand summary says so beside the family's adjustment
    // months, and its thread has it once (the second declaration added nothing).
    const summary = standin.messagesIn('C_DEMAND')[0]!;
    const note = `${REP_SHOWN} declared no change for *FAM-1*`;
    // Notes of a burst go out together, one a line.
    const noteLines = () =>
      standin
        .threadReplies('C_DEMAND', summary.ts)
        .flatMap((r) => r.text.split('\n'))
        .filter((l) => l === note);
    await standin.waitFor(() => noteLines().length > 0);
    expect(noteLines()).toHaveLength(1);
    const thread = standin.threadReplies('C_DEMAND', summary.ts).map((r) => r.text);
    expect(thread.join('\n')).not.toContain(`<@${REP}>`);
    const section = JSON.stringify(standin.messagesIn('C_DEMAND')[0]?.blocks);
    // FAM-1 is listed with its adjustment months, so no family is counted as only declared.
    expect(section).not.toContain('No change declared for');
    expect(section).toMatch(
      /• \*FAM-1\*: \d+ adjustment months? by \d+ (person|people)[^\\]*; no change declared by 1 rep/,
    );
  });
});

describe('/forecast no-change by a rep given another role', () => {
  it('is refused, naming the families kept for a return to Sales; nothing is recorded', async () => {
    // U_PAT covered FAM-1 as a rep, then was made planner (`/sop role` keeps the list).
    await db.insertInto('members').values({ slack_user_id: 'U_PAT', role: 'planner' }).execute();
    const fam1 = await db
      .selectFrom('families')
      .select('id')
      .where('code', '=', 'FAM-1')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('member_families')
      .values({ slack_user_id: 'U_PAT', family_id: fam1.id })
      .execute();
    // Before: "no change this cycle" for FAM-1, counted in the demand summary as a rep's.
    expect((await typed('/forecast', 'U_PAT', 'no-change')).text).toBe(
      ':warning: Only a sales rep declares no change, for the families they cover; you are *Planner*, and the families you covered as a sales rep (`FAM-1`) are kept for a return to Sales. Nothing was recorded. To change a figure, give it: `/forecast FAM-12 2027-04 +5% other`.',
    );
    const decl = await db
      .selectFrom('no_change_declarations')
      .selectAll()
      .where('slack_user_id', '=', 'U_PAT')
      .execute();
    expect(decl).toEqual([]);
  });
});

describe('/capacity', () => {
  it('operations update capacity by text: stored with before/after, confirmed, summarised, audited, recompute queued', async () => {
    const reply = await typed(
      '/capacity',
      OPS,
      'LINE-2 2027-07..2027-08 -30% maintenance "Overhaul"',
    );
    expect(reply.text).toContain(
      'Capacity update saved: LINE-2 2027-07..2027-08 -30% (maintenance)',
    );
    expect(JSON.stringify(reply.blocks)).toMatch(/2027-07\s+1,000 → 700/);
    const stored = await db.selectFrom('capacity_updates').selectAll().orderBy('period').execute();
    expect(
      stored.map((r) => [r.period, r.kind, r.value, r.before_value, r.after_value, r.reason_code]),
    ).toEqual([
      ['2027-07', 'delta_pct', -30, 1000, 700, 'maintenance'],
      ['2027-08', 'delta_pct', -30, 1000, 700, 'maintenance'],
    ]);
    const summary = await standin.waitFor(() => standin.messagesIn('C_SUPPLY')[0]);
    expect(JSON.stringify(summary.blocks)).toContain('LINE-2');
    const [note] = await standin.waitFor(() => {
      const r = standin.threadReplies('C_SUPPLY', summary.ts);
      return r.length === 1 ? r : undefined;
    });
    // Named, not mentioned: the note records what operations did.
    expect(note?.text).toContain(`${OPS_SHOWN} *LINE-2* 2027-07..2027-08 -30% (maintenance)`);
    expect(note?.text).not.toContain(`<@${OPS}>`);
    expect(await auditEntries(db, 'capacity.update')).toHaveLength(1);
    expect((await recomputeJobs()).length).toBeGreaterThanOrEqual(1);
  });

  it('the modal form applies on top of earlier updates, and edits the supply summary in place', async () => {
    const viewId = await openModal('/capacity', OPS);
    const res = await driver.submitView(viewId, {
      values: changeModalValues(
        {
          target: 'LINE-2',
          from: '2027-07',
          kind: 'set',
          value: '800',
          reason: 'staffing',
          comment: 'Second shift back',
        },
        '/capacity',
      ),
    });
    expect(res.outcome.action).toBe('updated');
    expect(JSON.stringify(standin.store.views.get(viewId)?.definition)).toMatch(
      /2027-07\s+700 → 800/,
    );
    await standin.waitFor(
      () => standin.threadReplies('C_SUPPLY', standin.messagesIn('C_SUPPLY')[0]!.ts).length === 2,
    );
    expect(standin.messagesIn('C_SUPPLY')).toHaveLength(1);
  });

  it('a summary Slack rate-limits once still gets its edit and threaded reply, after Retry-After', async () => {
    // The bot's own calls fail at once on a 429 (someone waits on them); the channel summary,
    // posted in the background, waits the second Slack asks for and tries again.
    const summaryTs = standin.messagesIn('C_SUPPLY')[0]!.ts;
    standin.failNext('chat.update', { status: 429, retryAfter: 1, channel: 'C_SUPPLY' });
    const reply = await typed('/capacity', OPS, 'LINE-2 2027-09 -10% breakdown "Press down"');
    expect(reply.text).toContain('Capacity update saved: LINE-2 2027-09 -10% (breakdown)');
    const replies = await standin.waitFor(() => {
      const r = standin.threadReplies('C_SUPPLY', summaryTs);
      return r.length === 3 ? r : undefined;
    });
    expect(replies[2]?.text).toContain('LINE-2');
    expect(replies[2]?.text).toContain('Press down');
    expect(standin.messagesIn('C_SUPPLY')).toHaveLength(1);
    // Edited too: three updates (the overhaul over 2027-07..08, the second shift, the press),
    // one reply each in the thread, not four (the overhaul's two months counted apart); net
    // 2027-07 and 08 −300 hours each, 07 set back to 800 (+100), 09 −10% (−100).
    expect(JSON.stringify(standin.messagesIn('C_SUPPLY')[0]?.blocks)).toContain(
      '*LINE-2*: 3 open updates, net −600 hours',
    );
  });

  it('a change of 0 is refused without sending operations to a "no change" there is none of', async () => {
    // Before: 'use "no change" instead', which only a sales rep declares, and for the forecast.
    expect((await typed('/capacity', OPS, 'LINE-2 2027-09 +0 maintenance')).text).toBe(
      ':warning: A change of 0 changes nothing: give the change you mean. A capacity that stays as it is needs no update.' +
        '\nExpected: `/capacity LINE-2 2027-01..2027-02 -30% maintenance "Overhaul"`',
    );
  });

  it('a user who is not in operations is refused, with the reason', async () => {
    await driver.command('/capacity', {
      user: REP,
      channel: 'C_SUPPLY',
      text: 'LINE-2 2027-07 -10 breakdown',
    });
    const n = standin.ephemeralsFor(REP).length;
    const reply = await standin.waitFor(() =>
      standin.ephemeralsFor(REP).find((e) => e.text.includes('update capacity')),
    );
    expect(n).toBeGreaterThan(0);
    expect(reply.text).toContain(
      'Only Operations, Planner or Admin members can update capacity; your role is Sales.',
    );
    await driver.command('/capacity', { user: NOBODY, channel: 'C_SUPPLY' });
    const modal = await standin.waitFor(() => {
      const v = standin.openViews(NOBODY).at(-1);
      return v && JSON.stringify(v.definition).includes('you have no role') ? v : undefined;
    });
    expect(JSON.stringify(modal.definition)).toContain(
      'Only Operations, Planner or Admin members can update capacity',
    );
    const stored = await db
      .selectFrom('capacity_updates')
      .selectAll()
      .where('author', 'in', [REP, NOBODY])
      .execute();
    expect(stored).toEqual([]);
  });

  it('the supply thread names who resolved a constraint in plain text, escaped, and mentions nobody', async () => {
    // The overhaul (LINE-2 2027-07..08 −30%) cut capacity: a constraint, open until resolved.
    const overhaul = await db
      .selectFrom('capacity_updates')
      .select((eb) => eb.fn.min('id').as('id'))
      .where('reason_code', '=', 'maintenance')
      .executeTakeFirstOrThrow();
    const summaryTs = standin.messagesIn('C_SUPPLY')[0]!.ts;
    const out = await commandEphemeral(
      running,
      '/sop',
      OPS,
      `constraints resolve #${overhaul.id} "overhaul done"`,
    );
    expect(out.text).toContain('Resolved');
    const note = await standin.waitFor(() =>
      standin
        .threadReplies('C_SUPPLY', summaryTs)
        .find((r) => r.text.includes('resolved the constraint')),
    );
    expect(note.text).toBe(
      `${OPS_SHOWN} resolved the constraint *LINE-2* 2027-07..2027-08 -30% (maintenance) — “overhaul done”`,
    );
    expect(note.text).not.toContain(`<@${OPS}>`);
  });
});

describe('the month, the code and the value as a rep writes them', () => {
  /** The first line of `/forecast`'s or `/capacity`'s answer to `text`. */
  const first = async (command: '/forecast' | '/capacity', user: string, text: string) =>
    (await typed(command, user, text)).text.split('\n')[0];

  it('reads a month written with its name, or a range with "to" or a spaced dash, as /sop explain does', async () => {
    // Before: "`2027` is not a change; …", "`-2027-10` is not a change; …", "`to` is not a
    // change; …", and nothing stored.
    expect(await first('/forecast', REP, 'FAM-2 Sep 2027 +5% promotion')).toBe(
      'Forecast adjustment saved: FAM-2 2027-09 +5% (promotion).',
    );
    expect(await first('/forecast', REP, 'FAM-2 2027-10 - 2027-11 +5% promotion')).toBe(
      'Forecast adjustment saved: FAM-2 2027-10..2027-11 +5% (promotion).',
    );
    expect(await first('/forecast', REP, 'FAM-2 2027-12 to 2028-01 -5% promotion')).toBe(
      'Forecast adjustment saved: FAM-2 2027-12..2028-01 -5% (promotion).',
    );
    const stored = await rows('FAM-2');
    expect(stored.map((r) => [r.period, r.kind, r.value])).toEqual([
      ['2027-09', 'delta_pct', 5],
      ['2027-10', 'delta_pct', 5],
      ['2027-11', 'delta_pct', 5],
      ['2027-12', 'delta_pct', -5],
      ['2028-01', 'delta_pct', -5],
    ]);
  });

  it('refuses a month field it cannot read under the month, and a code with a space naming the code to write; nothing is stored', async () => {
    const before = (await rows('FAM-1')).length;
    expect(await first('/forecast', REP, 'FAM-1 Septembre 2027 +5% promotion')).toBe(
      ':warning: `Septembre 2027` is not a month; write it as YYYY-MM, e.g. 2027-03 (a range: 2027-03..2027-05).',
    );
    // Before: "`2027-09` is not a change; …".
    expect(await first('/forecast', REP, 'FAM 1 2027-09 +5% promotion')).toBe(
      ":warning: The family code must be a code of letters, digits, - _ or . (e.g. FAM-12): for 'FAM 1' write FAM-1.",
    );
    // No FAM-9 either: the code as typed is named, as for any unknown code.
    expect(await first('/forecast', REP, 'FAM 9 2027-09 +5% promotion')).toBe(
      ':warning: There is no active family `FAM 9`; check the code.',
    );
    expect(await rows('FAM-1')).toHaveLength(before);
  });

  it('says to write the number without its unit, for a forecast and a capacity; nothing is stored', async () => {
    const before = (await rows('FAM-1')).length;
    const capacity = () => db.selectFrom('capacity_updates').select('id').execute();
    const updates = (await capacity()).length;
    // Before: "`units` is not a reason; use one of promotion, new-customer, …".
    expect(await first('/forecast', REP, 'FAM-1 2027-09 =1200 units promotion')).toBe(
      ':warning: `units`: write the number without its unit (=1200); then the reason: promotion, new-customer, lost-customer, price-change, market-intelligence, launch, end-of-life, other.',
    );
    expect(await first('/capacity', OPS, 'LINE-2 2027-09 =1200 hours maintenance')).toBe(
      ':warning: `hours`: write the number without its unit (=1200); then the reason: maintenance, breakdown, shortage, supplier, staffing, holiday, other.',
    );
    expect(await rows('FAM-1')).toHaveLength(before);
    expect(await capacity()).toHaveLength(updates);
  });
});

describe('request security', () => {
  it('an unsigned, badly signed or stale request gets 401 and does nothing', async () => {
    const before = (await rows()).length;
    const text = 'FAM-1 2028-01 +10 launch';
    const none = await driver.command('/forecast', {
      user: REP,
      channel: 'C_DEMAND',
      text,
      signature: 'none',
    });
    const bad = await driver.command('/forecast', {
      user: REP,
      channel: 'C_DEMAND',
      text,
      signature: 'bad',
    });
    const stale = await driver.command('/forecast', {
      user: REP,
      channel: 'C_DEMAND',
      text,
      staleBySeconds: 400,
    });
    // Correctly signed, but stamped 10 minutes in the future: refused too (Bolt checks only
    // the past).
    const future = await driver.command('/forecast', {
      user: REP,
      channel: 'C_DEMAND',
      text,
      staleBySeconds: -600,
    });
    expect([none.status, bad.status, stale.status, future.status]).toEqual([401, 401, 401, 401]);
    expect(await rows()).toHaveLength(before);
  });

  it('every request was acked with 200 within 3 s, apart from the deliberately unsigned ones', () => {
    const late = driver.failures.filter((f) => f.status !== 401);
    expect(late).toEqual([]);
    expect(driver.failures.filter((f) => f.status === 401)).toHaveLength(4);
  });

  it('/healthz reports the database and Redis', async () => {
    const res = await fetch(`http://127.0.0.1:${running.bot.slack.port()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: true, redis: true });
  });
});
