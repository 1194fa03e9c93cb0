/**
 * `/sop decisions` marks a decision's actions that are open past their due date overdue, as
 * `/sop actions`, App Home and the pack do. Before, in the third month of use, the log showed
 * "Call the bikeshop chain" (due 2027-02-19, not done on 2027-03-01) with the same plain mark
 * as an action due weeks later: the decision log could not tell who was late.
 *
 * Hand-built on 2027-03-01 (UTC): January's decision with three actions,
 *   A  due 2027-02-19, open  → overdue
 *   B  due 2027-03-26, open  → open
 *   C  due 2027-01-29, done  → done
 */
import { describe, expect, it } from 'vitest';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { commandEphemeral } from '../helpers/slack.js';
import { insertRun, SCENARIOS, testClock } from './meeting-fixture.js';

const CEO = 'U_CEO';
const ids: Record<string, string> = {};

const h = useHttpTestBot('decisions-overdue', {
  clock: testClock('2027-03-01T10:00:00Z'),
  seed: async (t) => {
    await insertMembers(t.db, { [CEO]: 'exec' });
    const cycleId = await insertCycle(t.db, {
      month: '2027-01',
      phase: 'closed',
      closed_at: new Date('2027-01-28T17:00:00Z'),
    });
    const run = await insertRun(t.db, {
      cycleId,
      runKey: 'decisions-overdue',
      periods: ['2027-01'],
      demand: {},
      price: {},
      resources: [],
      scenarios: SCENARIOS.slice(0, 1),
    });
    const decision = await t.db
      .insertInto('decisions')
      .values({
        cycle_id: cycleId,
        scenario_id: run.ids.central!,
        title: 'Central',
        rationale: 'Service first',
        decided_by: CEO,
        decided_at: new Date('2027-01-25T15:00:00Z'),
        request_key: 'decisions-overdue',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [name, due, done] of [
      ['A', '2027-02-19', false],
      ['B', '2027-03-26', false],
      ['C', '2027-01-29', true],
    ] as const) {
      const row = await t.db
        .insertInto('actions')
        .values({
          decision_id: decision.id,
          cycle_id: cycleId,
          description: `Action ${name}`,
          owner: 'U_OTTO',
          due_date: due,
          created_by: CEO,
          request_key: `decisions-overdue-${name}`,
          ...(done
            ? {
                status: 'done' as const,
                done_at: new Date('2027-01-28T10:00:00Z'),
                done_by: 'U_OTTO',
              }
            : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids[name] = row.id;
    }
  },
});

describe('/sop decisions', () => {
  it('marks the actions open past their due date overdue, on the company’s today', async () => {
    const eph = await commandEphemeral(h, '/sop', CEO, 'decisions');
    const lines = eph.text.split('\n').filter((l) => l.includes('Action '));
    expect(lines).toEqual([
      `:black_small_square: :warning: *overdue* #${ids.A} <@U_OTTO> due 2027-02-19: Action A`,
      `:black_small_square: #${ids.B} <@U_OTTO> due 2027-03-26: Action B`,
      `:white_check_mark: #${ids.C} <@U_OTTO> due 2027-01-29: Action C`,
    ]);
  });
});
