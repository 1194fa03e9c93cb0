/**
 * `/sop plan`'s "Planning…" is a new post in the channel the planner typed it in: it named them
 * with a mention, which notified them of their own request. It names them as Slack shows them
 * (users.info; the stand-in's display name of U_PAT is "pat"); when Slack cannot say, a
 * person is waiting, so the id is shown at once and the failure logged, with its stack.
 *
 * Through the stand-in over HTTP with the real bot; the planning queue keeps its jobs (no run).
 */
import { beforeAll, expect, it } from 'vitest';
import { insertCycle } from '../helpers/db.js';
import { recordedLogs } from '../helpers/log-lines.js';
import { testClock, useHarness } from './meeting-fixture.js';

const PAT = 'U_PAT'; // planner
const PIA = 'U_PIA'; // planner

const logs = recordedLogs();
const h = useHarness({
  label: 'plan-request-named',
  clock: testClock('2027-02-10T10:00:00Z'),
  members: { [PAT]: 'planner', [PIA]: 'planner' },
  botLogger: logs.logger,
});

beforeAll(async () => {
  await insertCycle(h.db, { month: '2027-02', phase: 'supply_review' });
});

/** `/sop plan` as `user` in #general, and the "Planning…" post it makes. */
async function plan(user: string) {
  const n = h.standin.messagesIn('C_GENERAL').length;
  await h.sop(user, 'plan', 'C_GENERAL');
  return h.standin.waitFor(() => h.standin.messagesIn('C_GENERAL')[n], 20_000);
}

it('names the planner who asked, without a mention', async () => {
  expect((await plan(PAT)).text).toBe(
    ':hourglass_flowing_sand: Planning… pat asked for a new plan of the 2027-02 cycle. Results will follow in this thread.',
  );
});

it('shows the id when Slack cannot give the name, and logs why', async () => {
  h.standin.failNext('users.info', { error: 'internal_error' });
  const from = logs.lines.length;
  expect((await plan(PIA)).text).toBe(
    `:hourglass_flowing_sand: Planning… ${PIA} asked for a new plan of the 2027-02 cycle. Results will follow in this thread.`,
  );
  const warned = logs.lines.slice(from).filter((l) => l.level >= 40);
  expect(warned).toHaveLength(1);
  expect(warned[0]?.err?.stack).toContain('internal_error');
});
