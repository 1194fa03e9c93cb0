/**
 * /sop plan, /sop whatif and /sop status end to end: the real bot over HTTP driven by the
 * Slack stand-in, a real worker (in process) on real Redis, and Postgres.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { addMonths } from '../../src/core/period.js';
import { generateCompany } from '../../src/seed/company.js';
import { startWorker } from '../../src/worker.js';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertMembers } from '../helpers/db.js';
import { useFixture } from '../helpers/fixture.js';
import { commandEphemeral } from '../helpers/slack.js';
import { addAdjustments, CHANNELS, setUpCycle, workerEnv } from './jobs-fixture.js';

const PLANNER = 'U_ALICE';
const REP = 'U_BOB';
const OPS = 'U_CARA';

const running = useHttpTestBot('jobs-commands', {
  standin: { postMessageRate: false },
  env: (at) => workerEnv({ dbUrl: at.dbUrl, prefix: at.prefix, apiUrl: at.apiUrl }),
  seed: async (t) => {
    const company = generateCompany({ families: 5, months: 36, resources: 3, seed: 5 });
    const { cycleId, month } = await setUpCycle(t.db, company, { horizon: 6 });
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-2', pct: 30 }]);
    await insertMembers(t.db, { [PLANNER]: 'planner', [REP]: 'sales', [OPS]: 'ops' });
    const fams = await t.db.selectFrom('families').select(['id', 'code']).execute();
    const id = (code: string) => fams.find((f) => f.code === code)?.id ?? 0;
    await t.db
      .insertInto('member_families')
      .values([
        { slack_user_id: REP, family_id: id('FAM-2') },
        { slack_user_id: REP, family_id: id('FAM-3') },
      ])
      .execute();
    const res = await t.db.selectFrom('resources').select('id').executeTakeFirstOrThrow();
    await t.db
      .insertInto('capacity_updates')
      .values({
        cycle_id: cycleId,
        resource_id: res.id,
        period: month,
        kind: 'delta_pct',
        value: -10,
        reason_code: 'maintenance',
        is_constraint: true,
        author: OPS,
        source: 'api',
        request_key: 'jobs-commands-constraint',
      })
      .execute();
  },
});
// A worker in this process, on the bot's queues.
useFixture(
  () => startWorker(running.config, { metricsPort: null }),
  (w) => w.stop(),
);

async function sop(user: string, text: string) {
  const ack = await running.driver.command('/sop', { user, channel: 'C_GENERAL', text });
  expect(ack.status).toBe(200);
}

/** `/sop <text>` as `user`, and the ephemeral it answers with. */
const sopReply = (user: string, text: string) =>
  commandEphemeral(running, '/sop', user, text, { timeoutMs: 10_000 }).then((e) => e.text);

describe('/sop status', () => {
  it('shows the phase, who has not submitted and the open constraints', async () => {
    const text = await sopReply(PLANNER, 'status');
    expect(text).toContain('Demand review');
    // The rep adjusted FAM-2 (through the fixture, as U_BOB) but not FAM-3.
    expect(text).toMatch(/<@U_BOB>: FAM-3(?!,)/);
    expect(text).toContain('<@U_CARA>: 1');
    expect(text).toContain('none yet this cycle');
  });
});

describe('/sop plan', () => {
  it('is refused to a sales rep', async () => {
    expect(await sopReply(REP, 'plan')).toMatch(/planner/i);
  });

  it('answers in the thread with the headline figures and the charts', async () => {
    await sop(PLANNER, 'plan');
    const root = await running.standin.waitFor(
      () => running.standin.messagesIn('C_GENERAL').find((m) => m.text.includes('Planning…')),
      10_000,
    );
    const replies = await running.standin.waitFor(() => {
      const r = running.standin.threadReplies('C_GENERAL', root.ts);
      return r.filter((m) => m.files.length > 0).length >= 3 ? r : undefined;
    }, 60_000);
    const headline = replies.filter((m) => /Plan run \d+ for \d{4}-\d{2} is ready/.test(m.text));
    expect(headline).toHaveLength(1);
    expect(headline[0]?.text).toMatch(/Central.*fill rate \d/);
    expect(headline[0]?.text).toContain('Cautious');
    // gap, scenarios and the one adjusted family, all in the thread. The run is the cycle's
    // like any other: each channel sees one message, the cycle's plans thread, the charts
    // its replies, none at the top.
    expect(replies.filter((m) => m.files.length > 0)).toHaveLength(3);
    const run = /Plan run (\d+) for/.exec(headline[0]!.text)?.[1];
    for (const c of Object.values(CHANNELS)) {
      const top = running.standin.messagesIn(c);
      expect(top.map((m) => m.text.split('\n')[0])).toEqual([
        expect.stringMatching(/^\*Plans for S&OP \d{4}-\d{2}\*$/),
      ]);
      expect(top[0]!.text).toContain(`Latest: plan run ${run}, `);
      // Named, not mentioned: the message is edited on every run (and posted anew if deleted).
      expect(top[0]!.text).toContain('asked for by alice.');
      expect(top[0]!.text).not.toContain('<@');
      expect(top.every((m) => m.files.length === 0)).toBe(true);
    }
    expect(await sopReply(PLANNER, 'status')).toMatch(/Latest plan run\*: #\d+/);
  });

  it("typed in the executive channel, asks in the cycle's plans thread there, where the run answers", async () => {
    const before = running.standin.messagesIn(CHANNELS.exec);
    expect(before).toHaveLength(1);
    const parent = before[0]!;
    const told = await commandEphemeral(running, '/sop', PLANNER, 'plan', {
      channel: CHANNELS.exec,
      timeoutMs: 10_000,
    });
    expect(told.text).toMatch(
      /^:hourglass_flowing_sand: Planning… the results will follow in the thread of \*Plans for S&OP \d{4}-\d{2}\* in this channel\.$/,
    );
    // Nothing changed since the last run: the thread says that run answers this request too.
    const replies = await running.standin.waitFor(() => {
      const r = running.standin.threadReplies(CHANNELS.exec, parent.ts);
      return r.some((m) => m.text.includes('answers this request too')) ? r : undefined;
    }, 60_000);
    // Named as Slack shows her (the stand-in's U_ALICE is "alice"), not mentioned.
    const asked = replies.findIndex((m) => m.text.includes('Planning… alice asked'));
    const again = replies.findIndex((m) => m.text.includes('answers this request too'));
    expect(asked).toBeGreaterThanOrEqual(0);
    expect(again).toBeGreaterThan(asked);
    // Still one message at the top of the channel.
    expect(running.standin.messagesIn(CHANNELS.exec).map((m) => m.ts)).toEqual([parent.ts]);
  });
  it("typed in the executive channel while the plans thread's message is being posted, is planned all the same", async () => {
    const { db } = running.t;
    const thread = await db
      .selectFrom('slack_posts')
      .select(['post_key', 'ts'])
      .where('post_key', 'like', 'cycle:%:plans:%')
      .where('channel_id', '=', CHANNELS.exec)
      .executeTakeFirstOrThrow();
    // Its post is in flight: a fresh claim without a ts (Slack has not answered it yet).
    await db
      .updateTable('slack_posts')
      .set({ ts: null, updated_at: sql`now()` })
      .where('post_key', '=', thread.post_key)
      .execute();
    try {
      const told = await commandEphemeral(running, '/sop', PLANNER, 'plan', {
        channel: CHANNELS.exec,
        timeoutMs: 10_000,
      });
      expect(told.text).toMatch(
        /^:hourglass_flowing_sand: Planning… the results will follow in the thread of \*Plans for S&OP \d{4}-\d{2}\* in this channel\.$/,
      );
      // The recompute is asked for; the plans thread is where it answers (no thread of its own).
      const asked = (
        await db
          .selectFrom('job_outbox')
          .select('payload')
          .where('job_name', '=', 'recompute')
          .execute()
      )
        .map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload))
        .filter((x) => x.reason === 'command' && x.replyTo === null);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ requestedBy: PLANNER });
    } finally {
      await db
        .updateTable('slack_posts')
        .set({ ts: thread.ts })
        .where('post_key', '=', thread.post_key)
        .execute();
    }
  });
});

describe('/sop plan typed where the bot cannot post', () => {
  it('puts the thread in the planner’s DM and says so', async () => {
    // A private channel the bot is not in: Slack answers chat.postMessage with channel_not_found.
    running.standin.failNext('chat.postMessage', { error: 'channel_not_found' });
    expect(await sopReply(PLANNER, 'plan')).toMatch(/answer in our direct messages/);
    const root = await running.standin.waitFor(
      () => running.standin.messagesIn(`D_${PLANNER}`).find((m) => m.text.includes('Planning…')),
      10_000,
    );
    // The inputs did not change since the last run: that run answers in the DM thread.
    const replies = await running.standin.waitFor(() => {
      const r = running.standin.threadReplies(`D_${PLANNER}`, root.ts);
      return r.some((m) => /Plan run \d+ for \d{4}-\d{2} is ready/.test(m.text)) ? r : undefined;
    }, 60_000);
    expect(replies.length).toBeGreaterThan(0);
  });
});

describe('/sop whatif', () => {
  it('edits "Solving…" into the differences from central, the chart of what they lead with in its thread', async () => {
    const before = running.standin.messagesIn('C_GENERAL').length;
    await sop(PLANNER, 'whatif demand FAM-2 +50%');
    const root = await running.standin.waitFor(
      () =>
        running.standin.messagesIn('C_GENERAL').find((m) => m.text.includes('`demand FAM-2 +50%`')),
      10_000,
    );
    const reply = await running.standin.waitFor(
      () => running.standin.threadReplies('C_GENERAL', root.ts).find((m) => m.files.length > 0),
      60_000,
    );
    // One message in the channel, the answer itself: "Solving…" does not stay behind.
    const top = running.standin.messagesIn('C_GENERAL');
    expect(top).toHaveLength(before + 1);
    const comment = top.find((m) => m.ts === root.ts)?.text ?? '';
    expect(comment).not.toContain('Solving');
    expect(comment.split('\n')[0]).toBe(`*What-if:* \`demand FAM-2 +50%\`, asked by alice`);
    // Its thread holds the chart, once, saying which of the sections above it draws.
    expect(running.standin.threadReplies('C_GENERAL', root.ts)).toEqual([reply]);
    const file = running.standin.files.find((f) => f.id === reply.files[0]);
    expect(file?.initial_comment).toBe(
      '_The chart draws the figures under “If it happens” above._',
    );
    // The chart draws what the message leads with, and its title and description say so.
    expect(file?.title).toBe('What-if: demand FAM-2 +50% — if it happens');
    const alt = running.standin
      .callsTo('files.getUploadURLExternal')
      .map((c) => String(c.args.alt_text ?? ''))
      .find((a) => a.includes('What-if: demand FAM-2 +50%:'));
    expect(alt).toContain(
      'Four bar charts comparing 2 scenarios. Both plans against the demand samples with the what-if’s change in them: “If it happens” in the message. ',
    );
    expect(comment).toMatch(/Fill rate: .* vs Central/);
    // Both plans against the same demand samples, not only each at its own demand.
    expect(comment).toMatch(
      /• Expected fill rate: [\d.]+% \((?:[+−][\d.]+|0\.0) pts vs Central [\d.]+%\)/,
    );
    expect(comment).toMatch(/• Margin in a bad case: −?\$[\d.]+[kMB]? \(/);
    // Peak working capital, expected and in a bad case (the P90), each against Central's.
    expect(comment).toMatch(
      /• Expected peak working capital: −?\$[\d.]+[kMB]? \([^)]* vs Central −?\$[\d.]+[kMB]?\)\n• Peak working capital in a bad case: −?\$[\d.]+[kMB]? \([^)]* vs Central/,
    );
    // A demand what-if answers "what if it happens" first: Central's plan as made serves
    // 50% more FAM-2 worse than the forecast's demand (its fixed months make what they make).
    const happens = comment.indexOf('_If it happens (the change in every demand sample;');
    const forecast = comment.indexOf('_If demand comes as forecast');
    expect(happens).toBeGreaterThan(0);
    expect(forecast).toBeGreaterThan(happens);
    const fills = (from: number) =>
      /• Expected fill rate: ([\d.]+%) .* vs Central ([\d.]+%)\)/.exec(comment.slice(from));
    const ifItHappens = fills(happens);
    const asForecast = fills(forecast);
    expect(Number.parseFloat(ifItHappens?.[2] ?? '')).toBeLessThan(
      Number.parseFloat(asForecast?.[2] ?? ''),
    );
    // Each plan's expected fill rate in the chart is the one under "If it happens", not the
    // forecast's (Central's differs between the two, as just seen).
    expect(alt).toContain(`Central: expected fill rate ${ifItHappens?.[2]} `);
    expect(alt).toContain(`What-if: demand FAM-2 +50%: expected fill rate ${ifItHappens?.[1]} `);
    expect(comment).toContain('_Each plan at the demand it plans for:_');
    // The money is totals over the cycle's six months, said under the what-if.
    expect(comment).toMatch(
      /\n_Money over \d{4}-\d{2}–\d{4}-\d{2} \(6 months\): margin and cash generated are totals for the period, working capital its highest month-end; (?:cash counts collecting the \$[\d.]+[kMB]? customers owed for the plan's families' sales and paying an estimated \$[\d.]+[kMB]? of bills for their production before \d{4}-\d{2} \(their sales then at unit cost: no production actuals then\)|invoices and bills open before \d{4}-\d{2} are left out of the cash)\._\n/,
    );
    expect(comment).toMatch(/Making cost: \$[\d.]+[kMB]? \(\+\$[\d.]+[kMB]? vs Central/);
  });

  it('explains bad syntax in an ephemeral reply with the expected syntax', async () => {
    const text = await sopReply(PLANNER, 'whatif demand FAM-2 twenty');
    expect(text).toContain('`twenty` is not a percentage');
    // escaped, so that Slack shows the angle brackets instead of reading a link
    expect(text).toContain('demand &lt;family|all&gt; &lt;+N%|-N%&gt;');
    // A typo of a percentage is refused before anything is posted, not solved.
    const posted = running.standin.messagesIn('C_GENERAL').length;
    expect(await sopReply(PLANNER, 'whatif price all +5000%')).toContain(
      '`price all +5000%`: +5000% is more than a what-if takes (at most +1000%); check the value',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(running.standin.messagesIn('C_GENERAL')).toHaveLength(posted);
  });

  it('reads codes in any case, as /forecast does', async () => {
    const resource = await running.t.db
      .selectFrom('resources')
      .select('code')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const typed = `capacity ${resource.code.toLowerCase()} -20%; demand fam-3 +10%`;
    expect(typed).not.toContain(resource.code);
    await sop(PLANNER, `whatif ${typed}`);
    const root = await running.standin.waitFor(
      () => running.standin.messagesIn('C_GENERAL').find((m) => m.text.includes(typed)),
      10_000,
    );
    const reply = await running.standin.waitFor(
      () => running.standin.threadReplies('C_GENERAL', root.ts).at(0),
      60_000,
    );
    // Solved and charted, not "Could not run the what-if".
    const answer = running.standin.messagesIn('C_GENERAL').find((m) => m.ts === root.ts);
    expect(answer?.text).toMatch(/^\*What-if:\* /);
    expect(answer?.text).not.toContain('Could not');
    expect(reply.files).toHaveLength(1);
  });

  it("typed in the executive channel, answers in the cycle's plans thread there, once however often Slack sends it", async () => {
    // The plans thread is the channel's one message (the runs above answered in it).
    const before = running.standin.messagesIn(CHANNELS.exec);
    expect(before).toHaveLength(1);
    const parent = before[0]!;
    const n = running.standin.ephemeralsFor(PLANNER).length;
    const ack = await running.driver.command('/sop', {
      user: PLANNER,
      channel: CHANNELS.exec,
      text: 'whatif capacity LINE-1 -20%',
    });
    // Slack sends the same request again (its answer was slow): one message, one job.
    const retry = await running.driver.resend(ack.request, {
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect([ack.status, retry.status]).toEqual([200, 200]);
    const told = await running.standin.waitFor(
      () => running.standin.ephemeralsFor(PLANNER)[n],
      10_000,
    );
    expect(told.text).toMatch(
      /^:crystal_ball: Solving… the answer will follow in the thread of \*Plans for S&OP \d{4}-\d{2}\* in this channel\.$/,
    );
    const whatIfChart = (m: { files: readonly string[] }) =>
      m.files.some((id) => running.standin.files.find((f) => f.id === id)?.name === 'what-if.png');
    const ours = () =>
      running.standin
        .threadReplies(CHANNELS.exec, parent.ts)
        .filter((m) => m.text.includes('capacity LINE-1 -20%') || whatIfChart(m));
    const chart = await running.standin.waitFor(
      () => running.standin.threadReplies(CHANNELS.exec, parent.ts).find(whatIfChart),
      60_000,
    );
    // "Solving…" was a reply in the thread, edited into the answer; the chart follows it.
    const answers = ours().filter((m) => m.files.length === 0);
    expect(answers.map((m) => m.text.split('\n')[0])).toEqual([
      `*What-if:* \`capacity LINE-1 -20%\`, asked by alice`,
    ]);
    expect(answers[0]!.text).not.toContain('Solving');
    const thread = running.standin.threadReplies(CHANNELS.exec, parent.ts);
    expect(thread.indexOf(chart)).toBeGreaterThan(thread.indexOf(answers[0]!));
    // A capacity what-if has one section against the forecast's samples: the chart's.
    const file = running.standin.files.find((f) => f.id === chart.files[0]);
    expect(file?.title).toBe('What-if: capacity LINE-1 -20%');
    expect(file?.initial_comment).toBe(
      '_The chart draws the figures under “Against the forecast’s demand samples” above._',
    );
    // Nothing new at the top of the channel, and no second answer or chart after a while.
    await new Promise((r) => setTimeout(r, 500));
    expect(running.standin.messagesIn(CHANNELS.exec).map((m) => m.ts)).toEqual([parent.ts]);
    expect(ours()).toHaveLength(2);
  });

  it('refuses a what-if over 500 characters before posting anything', async () => {
    // 30 × "demand FAM-2 +5%" (16 characters) joined by "; " (29 × 2): 538 characters.
    const text = Array(30).fill('demand FAM-2 +5%').join('; ');
    const posted = running.standin.messagesIn('C_GENERAL').length;
    const reply = await sopReply(PLANNER, `whatif ${text}`);
    expect(reply).toBe(
      ':warning: The what-if is 538 characters long; `/sop whatif` takes at most 500. Shorten it, or ask in two what-ifs.',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(running.standin.messagesIn('C_GENERAL')).toHaveLength(posted);
  });

  it('refuses months outside the plan before posting, naming the months it covers', async () => {
    // Before, it was solved and answered "0.0 pts vs Central" on every line: a change to a
    // month the plan does not hold (a year typed wrong, a month past the horizon) reached
    // nothing in the plan. The cycle's horizon is 6 months: its month and the 5 after.
    const { month } = await running.t.db
      .selectFrom('cycles')
      .select('month')
      .executeTakeFirstOrThrow();
    const last = addMonths(month, 5);
    const after = addMonths(month, 6);
    const before = addMonths(month, -12);
    const covers = `the months the plan covers (${month} to ${last}), so the what-if would change nothing: name months within them, or leave the months out to change every month.`;
    const posted = running.standin.messagesIn('C_GENERAL').length;
    expect(await sopReply(PLANNER, `whatif demand FAM-2 +10% ${after}`)).toBe(
      `:warning: ${after} is outside ${covers}`,
    );
    expect(await sopReply(PLANNER, `whatif capacity LINE-1 -20% ${before}`)).toBe(
      `:warning: ${before} is outside ${covers}`,
    );
    // A range that runs past the horizon, after a change that is within it.
    expect(await sopReply(PLANNER, `whatif overtime off; demand all +5% ${last}..${after}`)).toBe(
      `:warning: ${after} is outside ${covers}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(running.standin.messagesIn('C_GENERAL')).toHaveLength(posted);
  });

  it('refuses a change of 0% before posting, naming changes to type instead', async () => {
    // Before, `+0%` was solved and answered "0.0 pts vs Central" on every line.
    const posted = running.standin.messagesIn('C_GENERAL').length;
    const says = (zero: string, up: string, down: string) =>
      `:warning: \`${zero}\` changes nothing, so the what-if would be Central again. Give a change to try, e.g. \`${up}\` or \`${down}\`.`;
    const cases = [
      ['demand FAM-2 +0%', says('demand FAM-2 0%', 'demand FAM-2 +10%', 'demand FAM-2 -5%')],
      // Beside a change that does something, in any spelling of zero, with its months.
      [
        'overtime off; capacity LINE-1 -0.0% 2027-04',
        says(
          'capacity LINE-1 0% 2027-04',
          'capacity LINE-1 +10% 2027-04',
          'capacity LINE-1 -5% 2027-04',
        ),
      ],
      ['price all 0%', says('price all 0%', 'price all +10%', 'price all -5%')],
    ];
    for (const [typed, reply] of cases)
      expect(await sopReply(PLANNER, `whatif ${typed}`)).toBe(reply);
    await new Promise((r) => setTimeout(r, 300));
    expect(running.standin.messagesIn('C_GENERAL')).toHaveLength(posted);
  });

  it('names an unknown family, and the codes there are', async () => {
    // The seeded company's five families.
    expect(await sopReply(PLANNER, 'whatif demand FAM-99 +10%')).toBe(
      ':warning: There is no family `FAM-99`. Use `all` or a family code: FAM-1, FAM-2, FAM-3, FAM-4, FAM-5.',
    );
  });

  it('refuses an inactive family before posting, and offers only the active ones', async () => {
    // A plan holds only active families: a what-if on FAM-3 once it is inactive would fail
    // its job after "Solving against Central…". The seeded five, less FAM-3.
    const { db } = running.t;
    await db.updateTable('families').set({ active: false }).where('code', '=', 'FAM-3').execute();
    try {
      const posted = running.standin.messagesIn('C_GENERAL').length;
      expect(await sopReply(PLANNER, 'whatif demand fam-3 +10%')).toBe(
        ':warning: Family `FAM-3` is inactive, so no plan includes it. Use `all` or an active family code: FAM-1, FAM-2, FAM-4, FAM-5.',
      );
      expect(await sopReply(PLANNER, 'whatif demand FAM-99 +10%')).toBe(
        ':warning: There is no family `FAM-99`. Use `all` or a family code: FAM-1, FAM-2, FAM-4, FAM-5.',
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(running.standin.messagesIn('C_GENERAL')).toHaveLength(posted);
    } finally {
      await db.updateTable('families').set({ active: true }).where('code', '=', 'FAM-3').execute();
    }
  });
});
