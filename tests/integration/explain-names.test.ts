/**
 * `/sop explain LINE-1 2027-02` names who entered each capacity update by name, never by a
 * mention that would ping. On an installation where nobody had been looked up yet (no name in
 * `slack_user_names`, none stored with the member), it showed the Slack id instead: "=400 by
 * `U_OTTO`". The answer now asks Slack for the names it lacks (users.info, cached for the next
 * answer), escaped as typed text is. Through the real bot over HTTP with the stand-in, against
 * Postgres.
 */
import { describe, expect, it } from 'vitest';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { blockText, commandEphemeral } from '../helpers/slack.js';
import { insertFamilies, insertHandRun } from './meeting-fixture.js';

const OTTO = 'U_OTTO';
const PAT = 'U_PAT';
/** Otto's display name in Slack (the stand-in's `name`), with characters mrkdwn would read. */
const OTTO_NAME = 'Otto <Ops> & Co';

const running = useHttpTestBot('explain-names', {
  standin: {
    postMessageRate: false,
    users: [
      { id: OTTO, name: OTTO_NAME, real_name: 'Otto Brandt', tz: 'UTC' },
      { id: PAT, name: 'pat', real_name: 'Pat', tz: 'UTC' },
    ],
  },
  env: { SOPBOT_RECOMPUTE_CRON: 'off', SOPBOT_DIGEST_CRON: 'off' },
  seed: async (t) => {
    const fam = await insertFamilies(t.db);
    await insertMembers(t.db, { [OTTO]: 'ops', [PAT]: 'planner' });
    const cycleId = await insertCycle(t.db, { month: '2027-01', phase: 'supply_review' });
    await insertHandRun(t.db, cycleId, fam, 'explain-names');
    // Otto set LINE-1 (1,000 hours) to 400 in 2027-02 for a breakdown.
    await t.db
      .insertInto('capacity_updates')
      .values({
        cycle_id: cycleId,
        resource_id: fam.line,
        period: '2027-02',
        kind: 'set',
        value: 400,
        reason_code: 'breakdown',
        comment: 'Press down',
        before_value: 1000,
        after_value: 400,
        author: OTTO,
        source: 'command',
        request_key: 'explain-names-cut',
      })
      .execute();
  },
});

describe('/sop explain names people as Slack does', () => {
  it('asks Slack for a name nobody has stored, escapes it, and keeps it', async () => {
    const stored = () =>
      running.t.db
        .selectFrom('slack_user_names')
        .select(['slack_user_id', 'display_name'])
        .execute();
    expect(await stored()).toEqual([]);
    const reply = await commandEphemeral(running, '/sop', PAT, 'explain LINE-1 2027-02');
    const answer = blockText(reply);
    expect(answer).toContain(
      '• =400 by Otto &lt;Ops&gt; &amp; Co · `breakdown` · “Press down” · constraint',
    );
    expect(answer).not.toContain('U_OTTO');
    expect(await stored()).toEqual([{ slack_user_id: OTTO, display_name: OTTO_NAME }]);
  });
});
