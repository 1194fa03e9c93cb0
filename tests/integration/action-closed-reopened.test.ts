/**
 * An action's DMs are drawn again for each way it closes (retireClosedButtons): an S&OE action
 * cancelled by a corrected import, opened again by a later correction and then done reads
 * done, not "Cancelled as no longer needed. Reminders stopped.". Before, each DM's run-once key
 * named the action and not how it closed, so the done redraw found every key taken and edited
 * nothing. Real Postgres and the stand-in over HTTP.
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

describe('an action cancelled, opened again, then done', () => {
  it('its DM reads cancelled, then done (2 days late), and a repeat edits nothing', async () => {
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
    const deps = { db, slack, clock: { now: () => new Date('2027-01-22T10:00:00Z') } };

    await db.transaction().execute((trx) => cancelOpenAction(trx, id));
    expect(await retireClosedButtons(deps, { actionId: id })).toEqual({
      buttonsRemoved: 1,
      already: 0,
      notEdited: 0,
    });
    expect(blocks()).toContain(':no_entry_sign: Cancelled as no longer needed. Reminders stopped.');

    // A later correction opens it again; its owner then marks it done on the 22nd, two days
    // after its due date of the 20th.
    await db.transaction().execute((trx) => reopenCancelledAction(trx, id));
    await db
      .updateTable('actions')
      .set({ status: 'done', done_at: new Date('2027-01-22T10:00:00Z'), done_by: 'U_BOB' })
      .where('id', '=', id)
      .execute();
    expect(await retireClosedButtons(deps, { actionId: id })).toEqual({
      buttonsRemoved: 1,
      already: 0,
      notEdited: 0,
    });
    expect(blocks()).toContain('done 2 days late');
    expect(blocks()).not.toContain('Cancelled');

    // The job run again (a retry): nothing more is edited.
    const updates = standin.callsTo('chat.update').length;
    expect(await retireClosedButtons(deps, { actionId: id })).toEqual({
      buttonsRemoved: 0,
      already: 1,
      notEdited: 0,
    });
    expect(standin.callsTo('chat.update').length).toBe(updates);
  });
});
