/**
 * "Make an S&OP action" when Slack will not draw the form: the `views.update` that draws it
 * (over the loading form views.open showed) fails, and so would any other for that view (the
 * person closed it). The failure is logged once, with its stack, where it was logged twice:
 * once for the form's update, again for the update that was to say so in the form.
 *
 * Through the stand-in over HTTP, the real bot with a logger the test reads; February's cycle
 * is open and Pat is a planner, so the form is drawn.
 */
import { beforeAll, expect, it } from 'vitest';
import { insertCycle } from '../helpers/db.js';
import { recordedLogs } from '../helpers/log-lines.js';
import { testClock, useHarness } from './meeting-fixture.js';

const PAT = 'U_PAT'; // planner
const RITA = 'U_RITA'; // sales

const logs = recordedLogs();
const h = useHarness({
  label: 'action-from-message-logs',
  clock: testClock('2027-02-10T10:00:00Z'),
  members: { [PAT]: 'planner', [RITA]: 'sales' },
  botLogger: logs.logger,
});

beforeAll(async () => {
  await insertCycle(h.db, { month: '2027-02', phase: 'supply_review' });
});

it('a form Slack will not draw is logged once, with its stack', async () => {
  const ts = h.standin.store.addMessage({
    channel: 'C_SUPPLY',
    text: 'Pallets again',
    source: 'api',
    user: RITA,
  }).ts;
  // Slack refuses every update of the view: the form's, and any that would follow it.
  h.standin.failNext('views.update', { error: 'not_found', times: 2 });
  const from = logs.lines.length;
  const r = await h.driver.messageShortcut('C_SUPPLY', ts, 'make_sop_action', { user: PAT });
  expect(r.ok).toBe(true);
  // The loading form, left as it is.
  const view = await h.standin.waitFor(() => h.standin.openViews(PAT).at(-1));
  expect(view.definition.callback_id).toBe('make_sop_action_submit_loading');
  const failed = await h.standin.waitFor(() => {
    const lines = logs.lines.slice(from).filter((l) => l.level >= 50);
    return lines.length > 0 ? lines : undefined;
  });
  // Time for a second line, had there been one (the handler's work after its ack is bounded).
  await new Promise((resolve) => setTimeout(resolve, 500));
  const errors = logs.lines.slice(from).filter((l) => l.level >= 40);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBe(failed[0]);
  expect(errors[0]?.err?.message).toContain('not_found');
  expect(errors[0]?.err?.stack).toContain('at ');
  // The view Slack refused to draw is not asked again.
  expect(h.standin.callsTo('views.update')).toHaveLength(1);
});
