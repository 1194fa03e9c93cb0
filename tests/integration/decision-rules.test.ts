/**
 * What a decision may be (the service every path goes through: the modal, `/sop decide`, a
 * forged view_submission): after a vote, only once the vote is closed and only for one of
 * its scenarios; a second decision in a cycle supersedes the first with a reason, and both
 * stay in the log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobQueue } from '../../jobs/contracts.js';
import { SopError } from '../../src/errors.js';
import {
  listDecisions,
  recordDecision,
  SupersedeReasonRequired,
  scenarioByName,
} from '../../src/services/decisions.js';
import { closePoll, createPoll } from '../../src/services/polls.js';
import { decisionLogMessage } from '../../src/slack/presenters/decision.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS } from './meeting-fixture.js';

const t = useDb();
const queue: JobQueue = { enqueue: async (name) => `${name}-test` };
const now = new Date('2027-01-20T10:00:00Z');
const deps = () => ({ db: t.db, queue, clock: { now: () => now } });
let cycleId = 0;
let ids: Record<string, string> = {};
let otherRunScenario = '';
let infeasible = '';

beforeAll(async () => {
  const fam = await insertFamilies(t.db);
  cycleId = await insertCycle(t.db, { month: '2027-01', phase: 'executive' });
  const run = (runKey: string) =>
    insertRun(t.db, {
      cycleId,
      runKey,
      periods: ['2027-01', '2027-02'],
      demand: { [fam.fam1]: 100, [fam.fam2]: 50 },
      price: { [fam.fam1]: 900, [fam.fam2]: 20 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
      scenarios: SCENARIOS,
    });
  // An older run, whose scenarios the vote (over the latest run) does not offer.
  otherRunScenario = (await run('older')).ids.central!;
  const latest = await run('latest');
  ids = latest.ids;
  // A scenario of the latest run that the solver found no plan for.
  infeasible = (
    await t.db
      .insertInto('plan_scenarios')
      .values({
        run_id: latest.runId,
        name: 'stretch',
        label: 'Stretch',
        assumptions: JSON.stringify({ demandMultiplier: 3 }),
        status: 'infeasible',
        message: 'LINE-1 cannot make 450 units in 2027-01',
        total_cost: null,
        kpis: JSON.stringify({}),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});

const refusal = async (p: Promise<unknown>): Promise<SopError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof SopError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('decisions', () => {
  it('after a vote: only once it is closed, and only for one of its scenarios', async () => {
    const { view } = await createPoll(deps(), {
      cycle: { id: cycleId, month: '2027-01', phase: 'executive', deadlines: {} } as never,
      createdBy: 'U_CHAIR',
      requestKey: 'poll-rules',
    });
    const pollId = view.poll.id;
    const input = {
      cycleId,
      pollId,
      scenarioId: ids.central!,
      rationale: 'protects service',
      decidedBy: 'U_CHAIR',
      actions: [],
    };
    const open = await refusal(recordDecision(deps(), { ...input, requestKey: 'forged-1' }));
    expect(open.code).toBe('conflict');
    expect(open.message).toMatch(/still open/);

    await closePoll(t.db, { pollId, by: 'U_CHAIR', reason: 'chair' }, now);
    const foreign = await refusal(
      recordDecision(deps(), { ...input, scenarioId: otherRunScenario, requestKey: 'forged-2' }),
    );
    expect(foreign.code).toBe('validation');
    expect(foreign.message).toMatch(/not one of the scenarios of vote/);
    expect(await listDecisions(t.db, '2027-01')).toHaveLength(0);

    const rec = await recordDecision(deps(), { ...input, requestKey: 'real-1' });
    expect(rec.created).toBe(true);
  });

  it('without a vote: only a scenario with a plan, of the latest run', async () => {
    const input = {
      cycleId,
      pollId: null,
      rationale: 'go big',
      decidedBy: 'U_EXEC',
      actions: [],
      supersedeReason: 'typed',
    };
    const noPlan = await refusal(
      recordDecision(deps(), { ...input, scenarioId: infeasible, requestKey: 'stretch-1' }),
    );
    expect(noPlan.code).toBe('validation');
    expect(noPlan.message).toBe(
      'scenario: Stretch has no plan (infeasible), so it cannot be adopted; choose one of central, cautious, ambitious.',
    );
    const older = await refusal(
      recordDecision(deps(), { ...input, scenarioId: otherRunScenario, requestKey: 'older-1' }),
    );
    expect(older.code).toBe('validation');
    expect(older.message).toMatch(
      /^scenario: Central is from plan run \d+, not the latest \(run \d+\); choose one of central, cautious, ambitious\.$/,
    );
    // Typed by name, the infeasible one is refused the same way, before anything is written.
    const cycle = { id: cycleId, month: '2027-01', phase: 'executive', deadlines: {} } as never;
    expect(await scenarioByName(t.db, cycle, 'stretch')).toBe(infeasible);
    const decisions = await t.db
      .selectFrom('decisions')
      .select('request_key')
      .where('request_key', 'in', ['stretch-1', 'older-1'])
      .execute();
    expect(decisions).toEqual([]);
  });

  it('a second decision supersedes the first with a reason; both stay in the log', async () => {
    const second = {
      cycleId,
      pollId: null,
      scenarioId: ids.ambitious!,
      rationale: 'the Acme order landed',
      decidedBy: 'U_EXEC',
      actions: [],
    };
    const bare = await refusal(recordDecision(deps(), { ...second, requestKey: 'second-1' }));
    expect(bare).toBeInstanceOf(SupersedeReasonRequired);
    const rec = await recordDecision(deps(), {
      ...second,
      requestKey: 'second-2',
      supersedeReason: 'demand is 15% higher than voted on',
    });
    expect(rec.created).toBe(true);
    const log = await listDecisions(t.db, '2027-01');
    expect(log).toHaveLength(2);
    const [first, latest] = log;
    expect(latest!.supersedes).toEqual({
      id: first!.id,
      reason: 'demand is 15% higher than voted on',
    });
    expect(
      JSON.stringify(decisionLogMessage(latest!, { vote: null, timezone: 'UTC' }).blocks),
    ).toContain(`Supersedes decision ${first!.id}:* demand is 15% higher than voted on`);
    const cycle = await t.db
      .selectFrom('cycles')
      .select('adopted_scenario_id')
      .where('id', '=', cycleId)
      .executeTakeFirstOrThrow();
    expect(cycle.adopted_scenario_id).toBe(ids.ambitious);
  });
});
