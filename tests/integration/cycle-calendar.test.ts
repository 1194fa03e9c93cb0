/**
 * The company's calendar through Slack: `/sop cycle deadlines at=HH:MM` and
 * `/sop cycle holidays`, then a cycle opened over them, in Europe/Berlin (CET, UTC+1, all
 * January). The real bot over HTTP, the Slack stand-in, real Postgres and Redis, the
 * production worker runtime; the clock is the test's.
 *
 * The dates, worked by hand. Deadlines at 16:00 CET (15:00Z); holidays Fri 2027-01-01 (New
 * Year's Day), Sat 2027-01-02 (a weekend day: it moves nothing) and Mon 2027-01-11 (no name).
 * The cycle opens Tue 2026-12-29 10:00 CET (09:00Z), default days 3, 5, 4, 3, 2:
 *   data gathering  +3: Wed 30, Thu 31, (Fri 1 off), Mon 4          → Mon 2027-01-04 15:00Z
 *   demand review   +5: Tue 5, Wed 6, Thu 7, Fri 8, (Mon 11 off), Tue 12 → Tue 2027-01-12 15:00Z
 *   supply review   +4: Wed 13, Thu 14, Fri 15, Mon 18              → Mon 2027-01-18 15:00Z
 *   pre-S&OP        +3: Tue 19, Wed 20, Thu 21                      → Thu 2027-01-21 15:00Z
 *   executive       +2: Fri 22, Mon 25                              → Mon 2027-01-25 15:00Z
 * The demand review's nudge is one working day before its deadline: Fri 2027-01-08 15:00Z
 * (Monday the 11th is off), 10 days and 6 hours after the start: 885,600 s.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertChannels, testClock, useHarness } from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const REP = 'U_REP';

const clock = testClock('2026-12-29T09:00:00Z');
const h = useHarness({
  label: 'cycle-calendar',
  members: { [PLANNER]: 'planner', [REP]: 'sales' },
  clock,
});
let db: Db;
let standin: Standin;

beforeAll(async () => {
  ({ db, standin } = h);
  await insertChannels(db);
  await db.updateTable('workspace_settings').set({ timezone: 'Europe/Berlin' }).execute();
});

/** `/sop <text>` as `user`, and the ephemeral answer it gets. */
async function sop(user: string, text: string): Promise<string> {
  const n = standin.ephemeralsFor(user).length;
  await h.sop(user, text, 'C_EXEC');
  return (await standin.waitFor(() => standin.ephemeralsFor(user)[n], 20_000)).text;
}
const auditOf = async (action: string) =>
  (
    await db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', action)
      .orderBy('id')
      .execute()
  ).map((r) => ({ actor: r.actor, ...r.details }));
const deadlineTime = async () =>
  (await db.selectFrom('workspace_settings').select('deadline_time').executeTakeFirstOrThrow())
    .deadline_time;
const listed = async () =>
  (await db.selectFrom('company_holidays').select(['day', 'name']).orderBy('day').execute()).map(
    (r) => `${r.day} ${r.name ?? '-'}`,
  );

/** The Slack date of an instant whose Berlin wall-clock time is `local` (the fallback). */
const berlin = (unix: number, local: string) =>
  `<!date^${unix}^{date_short_pretty} {time}|${local} Europe/Berlin>`;
// 2027-01-01T00:00Z is 1798761600; each deadline below is at 15:00Z (16:00 CET).
const JAN = (day: number) => 1_798_761_600 + (day - 1) * 86_400 + 15 * 3600;

describe('/sop cycle deadlines at=HH:MM', () => {
  it('refuses a time written another way and a member who may not, then saves it once', async () => {
    expect(await deadlineTime()).toBe('17:00');
    expect(await sop(PLANNER, 'cycle deadlines at=4pm')).toContain(
      '`at=4pm`: write the time on a 24-hour clock, here at=16:00',
    );
    expect(await sop(PLANNER, 'cycle deadlines at=16h')).toContain(
      '`at=16h`: write the time of day as HH:MM on a 24-hour clock, e.g. at=17:00',
    );
    // Midnight, as 00:00 or 24:00: at 00:00 a phase's last working day would not count.
    for (const t of ['at=00:00', 'at=24:00'])
      expect(await sop(PLANNER, `cycle deadlines ${t}`)).toContain(
        `\`${t}\`: a deadline at midnight falls at 00:00, the start of its phase's last working day, so that day would not count; write at=23:59 for the end of the day`,
      );
    expect(await sop(REP, 'cycle deadlines at=16:00')).toContain(
      "Only Planner or Admin members can set the cycles' deadlines; your role is Sales.",
    );
    // Each managing verb is named as what it does ("can deadlines a cycle" before), and a
    // word that is none of them is a usage mistake whoever types it, not a refusal.
    expect(await sop(REP, 'cycle next')).toContain(
      'Only Planner or Admin members can move the cycle to its next phase',
    );
    const unknown = await sop(REP, 'cycle restart');
    expect(unknown).toContain('Unknown `/sop cycle restart`');
    expect(unknown).not.toContain('Only Planner');
    expect(await deadlineTime()).toBe('17:00');

    const saved = await sop(PLANNER, 'cycle deadlines at=16:00');
    expect(saved).toBe(
      // The phases by their names, as /sop settings and the cycle's own answers write them.
      'Deadlines of the next cycles: 16:00 Europe/Berlin, after Data gathering 3 working days, Demand review 5, Supply review 4, Pre-S&OP 3, Executive S&OP 2.',
    );
    expect(await deadlineTime()).toBe('16:00');
    // The same again (a double click, a retry) changes and records nothing more.
    expect(await sop(PLANNER, 'cycle deadlines at=16:00')).toBe(saved);
    expect(await auditOf('settings.deadline_time')).toEqual([
      { actor: PLANNER, from: '17:00', to: '16:00', timezone: 'Europe/Berlin' },
    ]);
    expect(await auditOf('settings.phase_days')).toEqual([]);
  });

  it('an early-morning time is kept, and pointed out with the afternoon it may have meant', async () => {
    // 05:00 is 5 am: before a working day begins, so the phase's last working day barely
    // counts; 5 pm on a 24-hour clock is 5 + 12 = 17:00.
    const early = await sop(PLANNER, 'cycle deadlines at=05:00');
    expect(early).toContain('Deadlines of the next cycles: 05:00 Europe/Berlin, after');
    expect(early).toContain(
      ":warning: 05:00 is before the working day: each phase's last working day will have barely begun at its deadline. If you meant 5 pm, write at=17:00.",
    );
    expect(await deadlineTime()).toBe('05:00');
    // 00:30 has no afternoon to offer (12:30 is noon, not what 00:30 was typed for).
    const small = await sop(PLANNER, 'cycle deadlines at=00:30');
    expect(small).toContain(':warning: 00:30 is before the working day');
    expect(small).not.toContain('If you meant');
    // 07:00 and later: no remark.
    expect(await sop(PLANNER, 'cycle deadlines at=07:00')).not.toContain(':warning:');
    expect(await sop(PLANNER, 'cycle deadlines at=16:00')).not.toContain(':warning:');
    expect(await deadlineTime()).toBe('16:00');
  });
});

describe('/sop cycle holidays', () => {
  it('lists none, refuses a member who may not and a day written another way', async () => {
    expect(await sop(REP, 'cycle holidays')).toContain('No company holidays ahead');
    expect(await sop(REP, "cycle holidays add 2027-01-01 New Year's Day")).toContain(
      'Only Planner or Admin members can add a company holiday',
    );
    expect(await sop(PLANNER, "cycle holidays add 01/01/2027 New Year's Day")).toBe(
      ":warning: Holiday not added: the day must be a date as YYYY-MM-DD: for '01/01/2027' write 2027-01-01, as in `/sop cycle holidays add 2027-01-01 New Year's Day`.",
    );
    expect(await sop(PLANNER, 'cycle holidays add 2027-02-30 Nothing')).toContain(
      "Holiday not added: the day must be a date as YYYY-MM-DD (e.g. 2027-03-15), not '2027-02-30'",
    );
    expect(await sop(PLANNER, 'cycle holidays add')).toContain(
      'Holiday not added: name the day as YYYY-MM-DD',
    );
    expect(await sop(PLANNER, 'cycle holidays remove 2027-1-11')).toContain(
      "Holiday not removed: the day must be a date as YYYY-MM-DD: for '2027-1-11' write 2027-01-11",
    );
    expect(await sop(PLANNER, 'cycle holidays move 2027-01-01')).toContain(
      'Unknown `/sop cycle holidays move`',
    );
    expect(await listed()).toEqual([]);
  });

  it('adds each once, audited; a weekend day is said to change nothing; names are escaped', async () => {
    const added = await sop(PLANNER, "cycle holidays add 2027-01-01 New Year's Day");
    expect(added).toBe(
      "Holiday added: Fri 2027-01-01 New Year's Day. Deadlines of the next cycles skip it.",
    );
    expect(await sop(PLANNER, "cycle holidays add 2027-01-01 New Year's Day")).toBe(
      "Fri 2027-01-01 New Year's Day is already a company holiday; nothing changed.",
    );
    expect(await sop(PLANNER, 'cycle holidays add 2027-01-02 <!channel> party')).toBe(
      'Holiday added: Sat 2027-01-02 &lt;!channel&gt; party. Deadlines of the next cycles skip it. It is a weekend day: deadlines skip it anyway.',
    );
    expect(await sop(PLANNER, 'cycle holidays add 2027-01-11')).toBe(
      'Holiday added: Mon 2027-01-11. Deadlines of the next cycles skip it.',
    );
    expect(await listed()).toEqual([
      "2027-01-01 New Year's Day",
      '2027-01-02 <!channel> party',
      '2027-01-11 -',
    ]);
    expect(await auditOf('holiday.add')).toEqual([
      { actor: PLANNER, day: '2027-01-01', name: "New Year's Day" },
      { actor: PLANNER, day: '2027-01-02', name: '<!channel> party' },
      { actor: PLANNER, day: '2027-01-11', name: null },
    ]);
    // Everyone may read them.
    expect(await sop(REP, 'cycle holidays')).toBe(
      [
        '*Company holidays ahead*: deadlines of the next cycles skip them like weekends.',
        "• Fri 2027-01-01 New Year's Day",
        '• Sat 2027-01-02 &lt;!channel&gt; party',
        '• Mon 2027-01-11',
      ].join('\n'),
    );
  });
});

describe('a cycle opened over them', () => {
  let cycleId = 0;

  it('places every deadline at 16:00 on a working day, stores what each phase skipped, and nudges before the holiday', async () => {
    await h.sop(PLANNER, 'cycle start 2027-01', 'C_EXEC');
    const announced = await standin.waitFor(
      () =>
        standin
          .messagesIn('C_DEMAND')
          .map((m) => m.text)
          .find((t) => t.includes('Data gathering has started')),
      20_000,
    );
    const row = await db
      .selectFrom('cycles')
      .select(['id', 'deadlines', 'skipped_holidays'])
      .where('month', '=', '2027-01')
      .executeTakeFirstOrThrow();
    cycleId = row.id;
    expect(row.deadlines).toEqual({
      data_gathering: '2027-01-04T15:00:00.000Z',
      demand_review: '2027-01-12T15:00:00.000Z',
      supply_review: '2027-01-18T15:00:00.000Z',
      pre_sop: '2027-01-21T15:00:00.000Z',
      executive: '2027-01-25T15:00:00.000Z',
    });
    // The weekend holiday is not among them: it pushed nothing back.
    expect(row.skipped_holidays).toEqual({
      data_gathering: [{ day: '2027-01-01', name: "New Year's Day" }],
      demand_review: [{ day: '2027-01-11', name: null }],
    });
    // The announcement names the holiday its deadline's count left out.
    expect(announced).toContain(
      `Deadline: ${berlin(JAN(4), '2027-01-04 16:00')} (not counting New Year's Day, Fri 1 Jan).`,
    );
    // The demand review's nudge waits for Friday the 8th at 16:00, not the holiday Monday.
    const nudges = await db
      .selectFrom('job_outbox')
      .select([
        'payload',
        sql<number>`extract(epoch from run_at - created_at)::float8`.as('delay_s'),
      ])
      .where('job_name', '=', 'nudge')
      .execute();
    expect(nudges.find((j) => j.payload.phase === 'demand_review')?.delay_s).toBe(885_600);
  });

  it('/sop cycle shows each deadline, with the holidays its count left out', async () => {
    const view = await sop(REP, 'cycle');
    expect(view.split('\n')).toEqual([
      '*S&OP 2027-01* is in *Data gathering*.',
      `▸ Data gathering: ${berlin(JAN(4), '2027-01-04 16:00')} (not counting New Year's Day, Fri 1 Jan)`,
      `Demand review: ${berlin(JAN(12), '2027-01-12 16:00')} (not counting the holiday on Mon 11 Jan)`,
      `Supply review: ${berlin(JAN(18), '2027-01-18 16:00')}`,
      `Pre-S&OP: ${berlin(JAN(21), '2027-01-21 16:00')}`,
      `Executive S&OP: ${berlin(JAN(25), '2027-01-25 16:00')}`,
    ]);
  });

  it('/sop status and App Home name the holidays a deadline did not count, as /sop cycle does', async () => {
    const status = await sop(PLANNER, 'status');
    const deadlines = status.split('\n\n').find((p) => p.startsWith('*Deadlines*'));
    expect(deadlines?.split('\n')).toEqual([
      '*Deadlines*',
      `▸ Data gathering: ${berlin(JAN(4), '2027-01-04 16:00')} (not counting New Year's Day, Fri 1 Jan)`,
      `Demand review: ${berlin(JAN(12), '2027-01-12 16:00')} (not counting the holiday on Mon 11 Jan)`,
      `Supply review: ${berlin(JAN(18), '2027-01-18 16:00')}`,
      `Pre-S&OP: ${berlin(JAN(21), '2027-01-21 16:00')}`,
      `Executive S&OP: ${berlin(JAN(25), '2027-01-25 16:00')}`,
    ]);

    await h.driver.event({ type: 'app_home_opened', user: REP, channel: `D_${REP}`, tab: 'home' });
    const home = await standin.waitFor(() => standin.homeView(REP), 20_000);
    const cycleText = (home.definition.blocks as { text?: { text?: string } }[])
      .map((b) => b.text?.text ?? '')
      .find((t) => t.startsWith('Phase: '));
    expect(cycleText?.split('\n')).toEqual([
      'Phase: *Data gathering*',
      'Deadlines:',
      `• Data gathering: ${berlin(JAN(4), '2027-01-04 16:00')} (not counting New Year's Day, Fri 1 Jan) ← now`,
      `• Demand review: ${berlin(JAN(12), '2027-01-12 16:00')} (not counting the holiday on Mon 11 Jan)`,
      `• Supply review: ${berlin(JAN(18), '2027-01-18 16:00')}`,
      `• Pre-S&OP: ${berlin(JAN(21), '2027-01-21 16:00')}`,
      `• Executive S&OP: ${berlin(JAN(25), '2027-01-25 16:00')}`,
    ]);
  });

  it('a new time or holiday leaves the open cycle’s deadlines as they are, and says so', async () => {
    const before = await db
      .selectFrom('cycles')
      .select(['deadlines', 'skipped_holidays'])
      .where('id', '=', cycleId)
      .executeTakeFirstOrThrow();
    expect(await sop(PLANNER, 'cycle deadlines at=18:00 executive=3')).toBe(
      'Deadlines of the next cycles: 18:00 Europe/Berlin, after Data gathering 3 working days, Demand review 5, Supply review 4, Pre-S&OP 3, Executive S&OP 3. S&OP 2027-01 keeps the deadlines it opened with.',
    );
    expect(await sop(PLANNER, 'cycle holidays add 2027-01-18 Local fair')).toBe(
      'Holiday added: Mon 2027-01-18 Local fair. Deadlines of the next cycles skip it. S&OP 2027-01 keeps the deadlines it opened with: its Supply review still ends that day.',
    );
    expect(await sop(PLANNER, 'cycle holidays add 2027-01-18 Local trade fair')).toBe(
      'Holiday renamed: Mon 2027-01-18 Local trade fair. S&OP 2027-01 keeps the deadlines it opened with: its Supply review still ends that day.',
    );
    expect(await sop(PLANNER, 'cycle holidays remove 2027-01-18')).toBe(
      'Holiday removed: Mon 2027-01-18 Local trade fair. Deadlines of the next cycles count it as a working day. S&OP 2027-01 keeps the deadlines it opened with: its Supply review still ends that day.',
    );
    expect(await sop(PLANNER, 'cycle holidays remove 2027-01-18')).toBe(
      'Mon 2027-01-18 is not a company holiday; nothing to remove.',
    );
    expect(
      await db
        .selectFrom('cycles')
        .select(['deadlines', 'skipped_holidays'])
        .where('id', '=', cycleId)
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
    expect(await auditOf('holiday.rename')).toEqual([
      { actor: PLANNER, day: '2027-01-18', from: 'Local fair', to: 'Local trade fair' },
    ]);
    expect(await auditOf('holiday.remove')).toEqual([
      { actor: PLANNER, day: '2027-01-18', name: 'Local trade fair' },
    ]);
    expect(await deadlineTime()).toBe('18:00');
  });
});
