/**
 * A break deferred by more than one meeting says which meetings deferred it and the last note
 * one of them wrote, in the decision form and in the pack's DECIDE line. Before, a break
 * deferred by January's and February's meetings read "(deferred by an earlier meeting)" in
 * March: the executives could not tell it had waited two meetings, nor why.
 *
 * Hand-built: the break LINE-9, recorded 10 January, its action open and Otto's.
 *   2027-01  decided twice: first "hold", then a superseding decision deferring it with the
 *            note "asking the supplier" (the superseded one is not the meeting's word)
 *   2027-02  decided: deferred, with the note typed as
 *            waiting for the supplier's <answer> & *price*
 *   2027-03  in its executive phase: its form and its pack take LINE-9 up again.
 * Expected: deferred by the 2027-01 and 2027-02 meetings, February's note; in the form, the
 * note escaped for mrkdwn inside the italic marks (&amp;, &lt;, &gt;, the * kept from closing it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDispositions } from '../../db/queries/break-dispositions.js';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import { MARK_BREAK } from '../../src/core/text.js';
import { buildPack } from '../../src/services/pack.js';
import { packMarkdown } from '../../src/services/pack-markdown.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OTTO = 'U_OTTO';
const clock = testClock('2027-03-29T10:00:00Z');
const h = useHarness({
  label: 'break-deferral-history',
  members: { [EXEC]: 'exec', [OTTO]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
const NOTE = "waiting for the supplier's <answer> & *price*";

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
  const cycle = async (month: string, closed: string | null) => {
    const id = await insertCycle(db, {
      month,
      phase: closed ? 'closed' : 'executive',
      ...(closed ? { closed_at: new Date(closed) } : {}),
    });
    const { ids } = await insertRun(db, {
      cycleId: id,
      runKey: `run-${month}`,
      periods: [month],
      demand: { [fam.fam1]: 100 },
      price: { [fam.fam1]: 900 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
      scenarios: SCENARIOS,
    });
    if (closed)
      await db
        .updateTable('cycles')
        .set({ adopted_scenario_id: ids.central! })
        .where('id', '=', id)
        .execute();
    return { id, central: ids.central! };
  };
  const jan = await cycle('2027-01', '2027-01-28T10:00:00Z');
  const feb = await cycle('2027-02', '2027-02-25T10:00:00Z');
  await cycle('2027-03', null);

  const deviation = await insertDeviation(db, {
    dedupeKey: 'reported:LINE-9',
    kind: 'reported',
    week: '2027-01-04',
    familyId: null,
    resourceId: null,
    actual: null,
    expected: null,
    summary: 'LINE-9 stopped',
    comment: null,
    reportedBy: OTTO,
    frozenBreak: true,
    createdAt: new Date('2027-01-10T10:00:00Z'),
  });
  const action = await insertDeviationAction(db, {
    cycleId: jan.id,
    description: 'LINE-9 stopped',
    owner: OTTO,
    dueDate: '2027-04-20',
    createdBy: OTTO,
    requestKey: 'deviation:reported:LINE-9',
  });
  await linkAction(db, deviation!, action.id);

  const decide = async (
    c: { id: number; central: string },
    key: string,
    at: string,
    disposition: 'hold' | 'defer',
    note: string | null,
    supersedes: string | null = null,
  ) => {
    const d = await db
      .insertInto('decisions')
      .values({
        cycle_id: c.id,
        scenario_id: c.central,
        title: 'Adopt Central',
        rationale: 'Balanced',
        decided_by: EXEC,
        decided_at: new Date(at),
        request_key: key,
        supersedes_id: supersedes,
        supersede_reason: supersedes ? 'the supplier wrote' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertDispositions(db, d.id, [
      { deviationId: deviation!, disposition, note, chosen: true },
    ]);
    return d.id;
  };
  const first = await decide(jan, 'jan-1', '2027-01-26T10:00:00Z', 'hold', 'absorb it');
  await decide(jan, 'jan-2', '2027-01-27T10:00:00Z', 'defer', 'asking the supplier', first);
  await decide(feb, 'feb-1', '2027-02-24T10:00:00Z', 'defer', NOTE);
});

describe('a break deferred twice', () => {
  it('names both meetings and the last note in the pack', async () => {
    const md = packMarkdown(await buildPack(db, '2027-03', new Date('2027-03-29T10:00:00Z')));
    const line = md.split('\n').find((l) => l.includes('DECIDE: escalated'));
    expect(line).toContain(
      `(deferred by the 2027-01 and 2027-02 meetings: “${NOTE}”): LINE-9 stopped; owner`,
    );
  });

  it('names both meetings and the last note, escaped, in the decision form', async () => {
    await h.sop(EXEC, 'decide');
    const view = await standin.waitFor(() => standin.openViews(EXEC).at(-1), 20_000);
    const text = JSON.stringify(view.definition.blocks);
    const b = MARK_BREAK;
    expect(text).toContain(
      JSON.stringify(
        `1. LINE-9 stopped (owner <@${OTTO}>, due 2027-04-20) _deferred by the 2027-01 and 2027-02 meetings: “waiting for the supplier's &lt;answer&gt; &amp; ${b}*${b}price${b}*${b}”_`,
      ).slice(1, -1),
    );
  });
});
