/**
 * A worker killed in the middle of the `action-closed` job (retireClosedButtons), after it
 * began drawing a DM again and before Slack's chat.update answered: the job run again (BullMQ
 * hands a stalled job to another worker) draws that DM. Before, the job recorded each DM as
 * drawn (its run-once key) before editing it, so the retry found the key taken and the DM kept
 * its live Done, Snooze and Reassign buttons for good. Real Postgres and the stand-in over HTTP;
 * the kill is a Slack client whose chat.update never answers, as a process frozen then killed,
 * on a pool of its own whose connections Postgres then drops, as it does a dead process's
 * (which lets go of the lock the job draws under).
 */

import type { webApi } from '@slack/bolt';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/connect.js';
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

describe('the action-closed job killed between starting a redraw and its edit', () => {
  it('the retried job draws the DM done, without its buttons', async () => {
    const db = t.db;
    await insertMembers(db, { U_CARA: 'ops' });
    const cycleId = await insertCycle(db, { month: '2027-01', phase: 'executive' });
    const row = await db
      .insertInto('actions')
      .values({
        cycle_id: cycleId,
        description: 'Book the truck',
        owner: 'U_CARA',
        due_date: '2027-01-20',
        created_by: 'U_CARA',
        request_key: 'action-closed-crash',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = String(row.id);
    const ts = await dmOnce(slack, db, `action:${id}:assigned`, 'U_CARA', {
      text: `You own action #${id}`,
    });
    // Done on the 19th, a day before its due date of the 20th, by its owner.
    await db
      .updateTable('actions')
      .set({ status: 'done', done_at: new Date('2027-01-19T10:00:00Z'), done_by: 'U_CARA' })
      .where('id', '=', id)
      .execute();
    const p = { actionId: id, closing: '7001' };
    const clock = { now: () => new Date('2027-01-19T10:00:00Z') };

    // The first worker: its chat.update never answers (the process is gone).
    let reached!: () => void;
    const atEdit = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const killed = new Proxy(slack, {
      get: (target, key, receiver) =>
        key === 'chat'
          ? {
              ...target.chat,
              update: () => {
                reached();
                return new Promise(() => undefined);
              },
            }
          : Reflect.get(target, key, receiver),
    });
    const killedDb = createDb(t.url);
    void retireClosedButtons({ db: killedDb, slack: killed, clock }, p);
    await atEdit;
    expect(standin.callsTo('chat.update')).toHaveLength(0);
    // The process dies: its connections close, and its session's advisory lock goes with them.
    const { rows } = await sql<{ dropped: boolean }>`
      select pg_terminate_backend(pid) as dropped from pg_locks
      where locktype = 'advisory' and granted
        and database = (select oid from pg_database where datname = current_database())
        and pid <> pg_backend_pid()`.execute(db);
    expect(rows.map((r) => r.dropped)).toEqual([true]);

    // Another worker runs the stalled job again.
    expect(await retireClosedButtons({ db, slack, clock }, p)).toEqual({
      buttonsRemoved: 1,
      already: 0,
      notEdited: 0,
    });
    const dm = standin.store.messages.find((m) => m.ts === ts);
    const blocks = JSON.stringify(dm?.blocks ?? null);
    expect(blocks).toContain(
      ':white_check_mark: done 1 day early (marked by <@U_CARA>). Reminders stopped.',
    );
    expect(blocks).not.toContain('"type":"actions"');
    // And once more (a retry after that): nothing more is edited.
    expect(await retireClosedButtons({ db, slack, clock }, p)).toEqual({
      buttonsRemoved: 0,
      already: 1,
      notEdited: 0,
    });
    expect(standin.callsTo('chat.update')).toHaveLength(1);
  });
});
