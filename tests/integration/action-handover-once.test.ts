/**
 * The handover job draws each of the old owner's earlier DMs about the action once: a retry
 * after Slack asked it to wait half-way (a 429 on its second edit) edits only the DM it had not
 * drawn, and a retry after that edits nothing. Before, each run edited every DM again. Real
 * Postgres and the stand-in over HTTP; the WebClient rejects 429s, as the worker's does.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../db/queries/audit.js';
import { announceHandover } from '../../src/services/action-reassign.js';
import { dmOnce } from '../../src/services/reminders.js';
import { type Standin, startStandin } from '../../src/slack-standin/index.js';
import { insertCycle, insertMembers, useDb } from '../helpers/db.js';

const t = useDb();
let standin: Standin;
let slack: WebClient;
const TOKEN = 'xoxb-test';

beforeAll(async () => {
  standin = await startStandin();
  for (const [id, name] of [
    ['U_OTTO', 'otto'],
    ['U_NINA', 'nina'],
  ] as const)
    standin.store.users.set(id, { id, name, real_name: name, tz: 'UTC' });
  slack = new WebClient(TOKEN, {
    slackApiUrl: standin.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
});

afterAll(async () => {
  await standin.close();
});

/** A client whose `n`th chat.update is answered with a 429 (Retry-After 1 s). */
function limitedAt(n: number): WebClient {
  let calls = 0;
  const client = Object.create(slack) as WebClient;
  Object.defineProperty(client, 'chat', {
    value: {
      ...slack.chat,
      update: (args: Parameters<WebClient['chat']['update']>[0]) => {
        calls++;
        if (calls === n) standin.failNext('chat.update', { status: 429, retryAfter: 1 });
        return slack.chat.update(args);
      },
    },
  });
  return client;
}

describe("a handover retried after a 429 half-way through the old owner's DMs", () => {
  it('the retry edits only the DM not yet drawn; another retry edits none', async () => {
    const db = t.db;
    await insertMembers(db, { U_OTTO: 'ops', U_NINA: 'ops' });
    const cycleId = await insertCycle(db, { month: '2027-01', phase: 'executive' });
    const row = await db
      .insertInto('actions')
      .values({
        cycle_id: cycleId,
        description: 'Call the carrier',
        owner: 'U_OTTO',
        due_date: '2027-01-20',
        created_by: 'U_OTTO',
        request_key: 'action-handover-once',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = String(row.id);
    // OTTO's two DMs about it: its assignment and its reminder on the due date.
    const assigned = await dmOnce(slack, db, `action:${id}:assigned`, 'U_OTTO', {
      text: `You own action #${id}`,
    });
    const reminder = await dmOnce(slack, db, `reminder:${id}:due:2027-01-20`, 'U_OTTO', {
      text: `Action #${id} is due today`,
    });
    expect(assigned).not.toBeNull();
    expect(reminder).not.toBeNull();

    // OTTO gives it to NINA on the 12th (the reassignment's write and audit entry).
    await db.updateTable('actions').set({ owner: 'U_NINA' }).where('id', '=', id).execute();
    const handover = await audit(db, {
      actor: 'U_OTTO',
      action: 'action.reassign',
      entity: 'action',
      entityId: id,
      details: { from: 'U_OTTO', to: 'U_NINA', at: '2027-01-12T10:00:00.000Z' },
    });
    const p = { actionId: id, handover };
    const line = ':arrow_right: Reassigned to <@U_NINA> by <@U_OTTO> on 2027-01-12.';
    const drawn = (ts: string | null) => {
      const blocks = JSON.stringify(standin.store.messages.find((m) => m.ts === ts)?.blocks ?? []);
      return blocks.includes(line) && !blocks.includes('"type":"actions"');
    };

    // First run: NINA's DM goes out, the first edit goes through, Slack answers the second 429.
    await expect(announceHandover({ db, slack: limitedAt(2) }, p)).rejects.toThrow();
    const first = standin.callsTo('chat.update');
    expect(first).toHaveLength(2);
    const editedTs = first[0]!.args.ts as string;
    const refusedTs = first[1]!.args.ts as string;
    expect([editedTs, refusedTs].sort()).toEqual([assigned, reminder].sort());
    expect(drawn(editedTs)).toBe(true);
    expect(drawn(refusedTs)).toBe(false);

    // The retry, once Slack lets it: only the DM refused is edited.
    const again = await announceHandover({ db, slack }, p);
    const retry = standin.callsTo('chat.update').slice(2);
    expect(retry.map((c) => c.args.ts)).toEqual([refusedTs]);
    expect(again).toEqual({
      newOwner: 'already_sent',
      oldOwner: 'not_needed',
      buttonsRemoved: 1,
      already: 1,
      notEdited: 0,
    });
    expect(drawn(editedTs)).toBe(true);
    expect(drawn(refusedTs)).toBe(true);

    // Another run (a redelivery): nothing is edited.
    const third = await announceHandover({ db, slack }, p);
    expect(standin.callsTo('chat.update')).toHaveLength(3);
    expect(third).toEqual({
      newOwner: 'already_sent',
      oldOwner: 'not_needed',
      buttonsRemoved: 0,
      already: 2,
      notEdited: 0,
    });
  });
});
