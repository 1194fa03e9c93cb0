/**
 * An S&OE action's DMs are drawn again for each change of its state (retireClosedButtons, the
 * `action-closed` job, keyed by the change's audit entry): cancelled by a corrected import, it
 * reads "Cancelled as no longer needed"; opened again by a later correction, its DMs offer Done,
 * Snooze and Reassign again and say it is open again (before, they kept saying "Cancelled…
 * Reminders stopped." while it was open, with no button anywhere but App Home); cancelled again,
 * they say so again (a run-once key naming only the action and its status would find it taken);
 * opened and then done, they read done. Real Postgres and the stand-in over HTTP.
 */

import type { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelOpenAction, reopenCancelledAction } from '../../db/queries/execution.js';
import { retireClosedButtons } from '../../src/services/action-reassign.js';
import { dmOnce } from '../../src/services/reminders.js';
import { type Standin, startStandin } from '../../src/slack-standin/index.js';
import { insertCycle, insertMembers, useDb } from '../helpers/db.js';
import { standinClient } from '../helpers/slack.js';

const t = useDb();
let standin: Standin;
let slack: webApi.WebClient;

beforeAll(async () => {
  standin = await startStandin();
  slack = standinClient(standin, 'xoxb-test');
});

afterAll(async () => {
  await standin.close();
});

const CANCELLED = ':no_entry_sign: Cancelled as no longer needed. Reminders stopped.';
const REOPENED =
  ':arrows_counterclockwise: Open again: a corrected import raised its deviation again.';

describe('an action cancelled, opened again, cancelled again, opened again, then done', () => {
  it('its DM reads cancelled, open with its buttons, cancelled, open, then done; a repeat edits nothing', async () => {
    const db = t.db;
    await insertMembers(db, { U_BOB: 'ops' });
    const cycleId = await insertCycle(db, { month: '2027-01', phase: 'executive' });
    const row = await db
      .insertInto('actions')
      .values({
        cycle_id: cycleId,
        description: 'Call the carrier',
        owner: 'U_BOB',
        due_date: '2027-01-20',
        created_by: 'U_BOB',
        request_key: 'action-closed-reopened',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = String(row.id);
    const ts = await dmOnce(slack, db, `action:${id}:assigned`, 'U_BOB', {
      text: `You own action #${id}`,
    });
    expect(ts).not.toBeNull();
    const blocks = () =>
      JSON.stringify(standin.store.messages.find((m) => m.ts === ts)?.blocks ?? null);
    /** Whether the DM offers the action's buttons (its actions block). */
    const buttons = () =>
      (standin.store.messages.find((m) => m.ts === ts)?.blocks ?? []).some(
        (b) =>
          (b as { type?: string }).type === 'actions' &&
          (b as { block_id?: string }).block_id === `action_${id}`,
      );
    const deps = { db, slack, clock: { now: () => new Date('2027-01-22T10:00:00Z') } };
    // Each change's audit entry names its job (`closing`); these stand for them.
    const job = (closing: string) => retireClosedButtons(deps, { actionId: id, closing });
    const cancel = () => db.transaction().execute((trx) => cancelOpenAction(trx, id));
    const reopen = () => db.transaction().execute((trx) => reopenCancelledAction(trx, id));

    await cancel();
    expect(await job('9001')).toEqual({ buttonsRemoved: 1, already: 0, notEdited: 0 });
    expect(blocks()).toContain(CANCELLED);
    expect(buttons()).toBe(false);

    // A later correction opens it again: the DM offers its buttons again, and says why.
    await reopen();
    expect(await job('9002')).toEqual({ buttonsRestored: 1, already: 0, notEdited: 0 });
    expect(blocks()).not.toContain('Cancelled');
    expect(blocks()).toContain(REOPENED);
    expect(buttons()).toBe(true);
    // The job run again (a retry): nothing more is edited.
    let updates = standin.callsTo('chat.update').length;
    expect(await job('9002')).toEqual({ buttonsRestored: 0, already: 1, notEdited: 0 });
    expect(standin.callsTo('chat.update').length).toBe(updates);

    // Another correction cancels it again: the DM says so again, without its buttons.
    await cancel();
    expect(await job('9003')).toEqual({ buttonsRemoved: 1, already: 0, notEdited: 0 });
    expect(blocks()).toContain(CANCELLED);
    expect(blocks()).not.toContain(REOPENED);
    expect(buttons()).toBe(false);

    // Opened once more; its owner then marks it done on the 22nd, two days after its due date
    // of the 20th.
    await reopen();
    expect(await job('9004')).toEqual({ buttonsRestored: 1, already: 0, notEdited: 0 });
    await db
      .updateTable('actions')
      .set({ status: 'done', done_at: new Date('2027-01-22T10:00:00Z'), done_by: 'U_BOB' })
      .where('id', '=', id)
      .execute();
    expect(await job('9005')).toEqual({ buttonsRemoved: 1, already: 0, notEdited: 0 });
    expect(blocks()).toContain('done 2 days late');
    expect(blocks()).not.toContain('Cancelled');
    expect(blocks()).not.toContain(REOPENED);
    expect(buttons()).toBe(false);

    // The job run again (a retry): nothing more is edited.
    updates = standin.callsTo('chat.update').length;
    expect(await job('9005')).toEqual({ buttonsRemoved: 0, already: 1, notEdited: 0 });
    expect(standin.callsTo('chat.update').length).toBe(updates);
  });
});
