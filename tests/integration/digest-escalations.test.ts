/**
 * The Monday S&OE digest counts for the next executive meeting exactly the frozen-zone breaks
 * that meeting's pack lists (question 6), done or open. Before, it counted the breaks among
 * the deviations it listed whose action was not done: an open break already shown in an
 * earlier pack counted, and a done one the next pack still shows did not.
 *
 * Hand-built: January enters its executive phase on 25 January (its pack is built then), and
 * its meeting decides (a meeting that decides nothing hands its breaks on to the next one).
 *   A  break recorded 20 January (before that entry), open: January's pack, not the next.
 *   B  break recorded 2 February, done.
 *   C  break recorded 3 February, open.
 *   E  break recorded 4 February, done.
 *   D  no break, 4 February, open.
 * February's meeting (the next) takes up B, C and E: 3 breaks, 2 of them done.
 * (The old count: A and C, the open breaks among the listed deviations, 2.)
 * Then February enters its executive phase on 22 February and F, a break, comes on the 23rd:
 * the next meeting is March's, which takes up F alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDecision } from '../../db/queries/decisions.js';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import { advancePhase, closeCycle } from '../../src/services/cycles.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { insertCycle } from '../helpers/db.js';
import { insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

const clock = testClock('2027-01-20T10:00:00Z');
const h = useHarness({
  label: 'digest-escalations',
  clock,
  members: { U_OTTO: 'ops', U_PAT: 'planner' },
});
let db: Db;
const deps = () => ({ db, queue: h.queues, clock });

/** A deviation recorded at `at` with its action (done or open), as the S&OE check records one. */
async function deviation(
  name: string,
  at: string,
  week: string,
  frozenBreak: boolean,
  done: boolean,
): Promise<void> {
  const cycle = await db
    .selectFrom('cycles')
    .select('id')
    .orderBy('month', 'desc')
    .executeTakeFirstOrThrow();
  const id = await insertDeviation(db, {
    dedupeKey: `reported:${name}`,
    kind: 'reported',
    week,
    familyId: null,
    resourceId: null,
    actual: null,
    expected: null,
    summary: `Deviation ${name}`,
    comment: null,
    reportedBy: 'U_OTTO',
    frozenBreak,
    createdAt: new Date(at),
  });
  const action = await insertDeviationAction(db, {
    cycleId: cycle.id,
    description: `Deviation ${name}`,
    owner: 'U_OTTO',
    dueDate: '2027-03-31',
    createdBy: 'U_OTTO',
    requestKey: `deviation:reported:${name}`,
  });
  await linkAction(db, id!, action.id);
  if (done)
    await db
      .updateTable('actions')
      .set({ status: 'done', done_at: new Date(at), done_by: 'U_OTTO' })
      .where('id', '=', action.id)
      .execute();
}

/** The digest of `week`, posted by the job: the sentence that counts. */
async function digestCount(week: string): Promise<string> {
  const id = await h.queues.enqueue('execution-digest', { week });
  await h.finished('notifications', id);
  const post = h.standin
    .messagesIn('C_SUPPLY')
    .find((m) => m.text.startsWith(`S&OE digest, week of ${week}`));
  const blocks = JSON.stringify(post?.blocks ?? []);
  return /\d+ deviations? open\. [^"]*?meeting[^"]*?\./.exec(blocks)?.[0] ?? blocks;
}

/** The question-6 lines of the pack of `month`. */
async function packBreaks(month: string): Promise<string[]> {
  const md = packMarkdown(await buildPack(db, month, clock.now()));
  return md
    .split('\n')
    .filter((l) => l.includes('DECIDE: escalated from S&OE (breaks the frozen plan)'));
}

/** The number the digest gives the next meeting. */
const counted = (sentence: string) =>
  Number(/(\d+) breaks? of the frozen plan/.exec(sentence)?.[1] ?? Number.NaN);

beforeAll(async () => {
  db = h.db;
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', supply_channel: 'C_SUPPLY', exec_channel: 'C_EXEC' })
    .execute();
  const jan = await insertCycle(db, { month: '2027-01', phase: 'pre_sop' });
  await deviation('A', '2027-01-20T10:00:00Z', '2027-01-11', true, false);
  clock.set('2027-01-25T09:00:00Z');
  expect((await advancePhase(deps(), jan, 'pre_sop', 'U_PAT')).to).toBe('executive');
  const { ids } = await insertRun(db, {
    cycleId: jan,
    runKey: 'run-jan',
    periods: ['2027-01'],
    demand: {},
    price: {},
    resources: [],
    scenarios: SCENARIOS,
  });
  await insertDecision(
    db,
    {
      cycle_id: jan,
      poll_id: null,
      scenario_id: ids.central!,
      title: 'Adopt the Central scenario',
      rationale: 'Central.',
      decided_by: 'U_PAT',
      decided_at: new Date('2027-01-26T10:00:00Z'),
      request_key: 'digest-escalations-jan',
    },
    [],
  );
  clock.set('2027-01-28T09:00:00Z');
  await closeCycle(deps(), jan, 'U_PAT');
  await insertCycle(db, { month: '2027-02', phase: 'data_gathering' });
  await deviation('B', '2027-02-02T10:00:00Z', '2027-02-01', true, true);
  await deviation('C', '2027-02-03T10:00:00Z', '2027-02-01', true, false);
  await deviation('E', '2027-02-04T10:00:00Z', '2027-02-01', true, true);
  await deviation('D', '2027-02-04T11:00:00Z', '2027-02-01', false, false);
}, 60_000);

describe("the digest's count for the next executive meeting", () => {
  it('is the breaks the next pack lists, done ones included, not those of an earlier pack', async () => {
    clock.set('2027-02-15T08:00:00Z');
    const sentence = await digestCount('2027-02-08');
    // Listed: A, C and D (open); for February's meeting: B, C and E, two of them done.
    expect(sentence).toBe(
      '3 deviations open. 3 breaks of the frozen plan go to the next executive meeting, 2 of them done.',
    );
    const lines = await packBreaks('2027-02');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => /Deviation (\w)/.exec(l)?.[1])).toEqual(['B', 'C', 'E']);
    expect(lines.filter((l) => l.endsWith(', done.'))).toHaveLength(2);
    expect(counted(sentence)).toBe(lines.length);
  });

  it("once February's pack is built, counts what comes after it, for March's", async () => {
    const feb = await db
      .selectFrom('cycles')
      .select('id')
      .where('month', '=', '2027-02')
      .executeTakeFirstOrThrow();
    await db.updateTable('cycles').set({ phase: 'pre_sop' }).where('id', '=', feb.id).execute();
    clock.set('2027-02-22T09:00:00Z');
    expect((await advancePhase(deps(), feb.id, 'pre_sop', 'U_PAT')).to).toBe('executive');
    await deviation('F', '2027-02-23T10:00:00Z', '2027-02-22', true, false);
    clock.set('2027-03-01T08:00:00Z');
    const sentence = await digestCount('2027-02-22');
    // Listed: A, C, D and F (open); for March's meeting: F alone.
    expect(sentence).toBe(
      '4 deviations open. 1 break of the frozen plan goes to the next executive meeting.',
    );
    // February's pack, built again, still lists B, C and E; March's lists F.
    expect(await packBreaks('2027-02')).toHaveLength(3);
    await insertCycle(db, { month: '2027-03', phase: 'data_gathering' });
    const march = await packBreaks('2027-03');
    expect(march.map((l) => /Deviation (\w)/.exec(l)?.[1])).toEqual(['F']);
    expect(counted(sentence)).toBe(march.length);
  });
});
