/**
 * The weekly S&OE digest after every worker was down across more than one Monday. The worker
 * that starts runs the digest whose slot passed (digest-schedule.test.ts), once: before, it
 * posted last week's alone, and the weeks before it, whose Mondays went by with no worker,
 * were never posted, nor their deviations no longer open. Now that one digest covers them:
 * it names them, gives each week's totals, and lists every deviation from the oldest on.
 * Through the production worker runtime, real Postgres and Redis, the Slack stand-in, and the
 * test's clock; the company is in UTC.
 *
 * By hand, Mondays of 2027: 1, 8, 15, 22 February, 1, 8, 15, 22, 29 March, 5, 12 April.
 *   Mon 8 Feb 08:00: the digest of the week of 1 Feb goes out (the first one).
 *   Workers down from then to Wed 3 March: the Mondays 15 Feb, 22 Feb and 1 March pass.
 *   Wed 3 Mar: last week is the week of 22 Feb; none went out for 8 and 15 Feb.
 *   Down again to Wed 14 April: last week is the week of 5 April; none went out for 1, 8, 15,
 *   22 and 29 March, five weeks, of which it covers the last four (MAX_MISSED_DIGEST_WEEKS).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import { MAX_MISSED_DIGEST_WEEKS } from '../../src/services/execution.js';
import { insertCycle } from '../helpers/db.js';
import { insertFamilies, testClock, useHarness } from './meeting-fixture.js';

const clock = testClock('2027-02-08T08:00:00Z');
const h = useHarness({ label: 'digest-missed-weeks', clock, members: { U_OTTO: 'ops' } });
let db: Db;
let cycleId: number;

const digests = () =>
  h.standin.messagesIn('C_SUPPLY').filter((m) => m.text.startsWith('S&OE digest'));
/** The texts of a message's sections, in order. */
const sections = (m: { blocks?: unknown }) =>
  ((m.blocks ?? []) as { type: string; text?: { text: string } }[])
    .filter((b) => b.type === 'section')
    .map((b) => b.text!.text);

beforeAll(async () => {
  db = h.db;
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', supply_channel: 'C_SUPPLY', timezone: 'UTC' })
    .execute();
  cycleId = await insertCycle(db, { month: '2027-02', phase: 'data_gathering' });
  const actual = (week: string, kind: 'sales' | 'production', units: number) => ({
    family_id: fam.fam1,
    week,
    kind,
    units,
    updated_at: new Date('2027-02-01T00:00:00Z'),
  });
  await db
    .insertInto('weekly_actuals')
    .values([
      actual('2027-02-01', 'sales', 100),
      actual('2027-02-08', 'sales', 110),
      actual('2027-02-08', 'production', 50),
      actual('2027-02-15', 'sales', 120),
      actual('2027-02-22', 'sales', 130),
    ])
    .execute();
}, 60_000);

/** A deviation of the week of 8 February, recorded on the 9th, its action done since. */
async function lineStop(): Promise<void> {
  const id = await insertDeviation(db, {
    dedupeKey: 'reported:late',
    kind: 'reported',
    week: '2027-02-08',
    familyId: null,
    resourceId: null,
    actual: null,
    expected: null,
    summary: 'Line stop on 9 February',
    comment: null,
    reportedBy: 'U_OTTO',
    frozenBreak: false,
    createdAt: new Date('2027-02-09T10:00:00Z'),
  });
  const action = await insertDeviationAction(db, {
    cycleId,
    description: 'Line stop on 9 February',
    owner: 'U_OTTO',
    dueDate: '2027-02-12',
    createdBy: 'U_OTTO',
    requestKey: 'deviation:reported:late',
  });
  await linkAction(db, id!, action.id);
  await db
    .updateTable('actions')
    .set({ status: 'done', done_at: new Date('2027-02-11T10:00:00Z'), done_by: 'U_OTTO' })
    .where('id', '=', action.id)
    .execute();
}

describe('the weekly digest after workers were down across several Mondays', () => {
  it('covers, in one digest, the weeks none went out for since the last', async () => {
    // The scheduler's digest (no week given), as it runs every Monday.
    expect(await h.runAgain('execution-digest', {}, 'notifications')).toEqual({ posted: true });
    expect(digests().map((m) => m.text)).toEqual([
      'S&OE digest, week of 2027-02-01: 0 open deviations',
    ]);
    // The first digest says nothing was missed: none was posted before it.
    expect(sections(digests()[0]!)[0]).toBe(
      'Sales 100 units, production not imported. No break of the frozen plan goes to the next executive meeting.',
    );

    await lineStop();
    clock.set('2027-03-03T10:00:00Z');
    expect(await h.runAgain('execution-digest', {}, 'notifications')).toEqual({ posted: true });
    const late = digests().slice(1);
    // Before: one digest, "S&OE digest, week of 2027-02-22", without the weeks of 8 and 15
    // February or the line stop.
    expect(late.map((m) => m.text)).toEqual([
      'S&OE digest, weeks of 2027-02-08 to 2027-02-22: 0 open deviations',
    ]);
    expect(sections(late[0]!)).toEqual([
      [
        ':hourglass: No digest went out for the weeks of 2027-02-08 and 2027-02-15: this one covers them too, with their deviations.',
        'Week of 2027-02-08: sales 110 units, production 50 units.',
        'Week of 2027-02-15: sales 120 units, production not imported.',
      ].join('\n'),
      'Week of 2027-02-22: sales 130 units, production not imported. 0 deviations open. No break of the frozen plan goes to the next executive meeting.',
      '• :white_check_mark: *done* Line stop on 9 February · <@U_OTTO> due 2027-02-12',
    ]);

    // The job again (a retry): nothing is posted twice.
    expect(await h.runAgain('execution-digest', {}, 'notifications')).toEqual({ posted: false });
    expect(digests()).toHaveLength(2);
  });

  it('covers the last four weeks missed at most, and says since when none went out', async () => {
    expect(MAX_MISSED_DIGEST_WEEKS).toBe(4);
    clock.set('2027-04-14T10:00:00Z');
    expect(await h.runAgain('execution-digest', {}, 'notifications')).toEqual({ posted: true });
    const [last] = digests().slice(2);
    expect(last!.text).toBe('S&OE digest, weeks of 2027-03-08 to 2027-04-05: 0 open deviations');
    expect(sections(last!)[0]).toBe(
      [
        ":hourglass: No digest went out for the weeks of 2027-03-08, 2027-03-15, 2027-03-22 and 2027-03-29: this one covers them too, with their deviations. The last digest was the week of 2027-02-22's; the weeks between are not summed here, and `/sop actions` lists every deviation still open.",
        'Week of 2027-03-08: sales not imported, production not imported.',
        'Week of 2027-03-15: sales not imported, production not imported.',
        'Week of 2027-03-22: sales not imported, production not imported.',
        'Week of 2027-03-29: sales not imported, production not imported.',
      ].join('\n'),
    );
  });
});
