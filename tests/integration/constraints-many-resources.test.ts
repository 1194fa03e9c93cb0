/**
 * A company with 25 resources and one open constraint on each, and three operations members.
 * Before, `/sop constraints` showed 16 and ended "…and 9 more constraints: resolve or
 * withdraw some of these", naming neither which nor where they were; and the supply review's
 * nudge gave every operations member all 25 in one run-on sentence. Now the list names the
 * resources of those left out and points at `/sop constraints <resource>`, which lists them;
 * the nudge names the constraints the member entered and counts the others. The real bot over
 * HTTP, the Slack stand-in, real Postgres.
 */
import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { sendNudges } from '../../src/services/cycle-posts.js';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { blockText, commandEphemeral } from '../helpers/slack.js';

const OTTO = 'U_OTTO'; // ops: entered LINE-3 and LINE-17
const OWEN = 'U_OWEN'; // ops: entered eleven, LINE-5 to LINE-15
const OLGA = 'U_OLGA'; // ops: entered none
const PAT = 'U_PAT'; // planner: entered the rest

/** In the order the company's codes are listed: CREW-1, LINE-1 … LINE-23, SUP-1. */
const CODES = ['CREW-1', ...Array.from({ length: 23 }, (_, i) => `LINE-${i + 1}`), 'SUP-1'];

const authorOf = (code: string): string => {
  if (code === 'LINE-3' || code === 'LINE-17') return OTTO;
  const n = /^LINE-(\d+)$/.exec(code)?.[1];
  if (n !== undefined && Number(n) >= 5 && Number(n) <= 15) return OWEN;
  return PAT;
};

let cycleId = 0;

const running = useHttpTestBot('constraints-many-resources', {
  standin: {
    postMessageRate: false,
    users: [OTTO, OWEN, OLGA, PAT].map((id) => ({
      id,
      name: id.slice(2).toLowerCase(),
      real_name: id.slice(2),
      tz: 'UTC',
    })),
  },
  env: { SOPBOT_RECOMPUTE_CRON: 'off', SOPBOT_DIGEST_CRON: 'off' },
  seed: async (t) => {
    await insertMembers(t.db, { [OTTO]: 'ops', [OWEN]: 'ops', [OLGA]: 'ops', [PAT]: 'planner' });
    // Inserted out of order: the list and the nudge give them in code order.
    const resources = await t.db
      .insertInto('resources')
      .values(
        [...CODES].reverse().map((code) => ({
          code,
          name: `Resource ${code}`,
          kind: 'line' as const,
          regular_capacity: 500,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    cycleId = await insertCycle(t.db, { month: '2027-05', phase: 'supply_review' });
    await t.db
      .insertInto('capacity_updates')
      .values(
        resources.flatMap((r) =>
          ['2027-05', '2027-06'].map((period) => ({
            cycle_id: cycleId,
            resource_id: r.id,
            period,
            kind: 'delta_pct' as const,
            value: -20,
            reason_code: 'maintenance',
            comment: null,
            before_value: 500,
            after_value: 400,
            author: authorOf(r.code),
            source: 'command' as const,
            request_key: `cut-${r.code}`,
          })),
        ),
      )
      .execute();
  },
});

describe('/sop constraints with more open than one message shows', () => {
  it('names the resources of those left out, and /sop constraints <resource> lists them', async () => {
    const list = await commandEphemeral(running, '/sop', OLGA, 'constraints');
    const text = blockText(list);
    expect(text).toContain('*Open capacity constraints for the plans of the 2027-05 cycle: 25*');
    // As many as one message holds, in code order: CREW-1, LINE-1 … LINE-15.
    expect(text).toContain('*CREW-1* 2027-05..2027-06 -20% (maintenance)');
    expect(text).toContain('*LINE-15* 2027-05..2027-06 -20% (maintenance)');
    expect(text).not.toContain('*LINE-16*');
    expect(text).not.toContain('*SUP-1*');
    // Before: "…and 9 more constraints: resolve or withdraw some of these, or type …".
    const last = list.blocks?.at(-1) as { type: string; elements: { text: string }[] };
    expect(last.type).toBe('context');
    expect(last.elements[0]?.text).toBe(
      "_…and 9 more constraints on LINE-16, LINE-17, LINE-18, LINE-19, LINE-20, LINE-21, LINE-22, LINE-23 and SUP-1: type `/sop constraints <resource>` to list one resource's, e.g. `/sop constraints LINE-16`._",
    );

    // The command it names lists what was left out.
    for (const code of ['LINE-16', 'SUP-1']) {
      const one = blockText(await commandEphemeral(running, '/sop', OLGA, `constraints ${code}`));
      expect(one).toContain(
        `*Open capacity constraints on ${code} for the plans of the 2027-05 cycle: 1*`,
      );
      expect(one).toContain(`*${code}* 2027-05..2027-06 -20% (maintenance)`);
      expect(one).not.toContain('more constraints');
    }
  });
});

describe("the supply review's nudge with 25 open constraints", () => {
  it('names those the member entered, at most ten, and counts the others', async () => {
    const { standin, env } = running;
    const client = new WebClient(env.SLACK_BOT_TOKEN, { slackApiUrl: standin.apiUrl });
    const sent = await sendNudges(
      client,
      running.t.db,
      cycleId,
      'supply_review',
      new Date('2027-05-10T09:00:00Z'),
    );
    expect([...sent].sort()).toEqual([OLGA, OTTO, OWEN]);
    const dm = (user: string) => standin.messagesIn(`D_${user}`).map((m) => m.text);
    const head = 'Reminder for S&OP 2027-05: the supply review closes soon.';
    const tail =
      'Each holds in the plan until it is resolved or withdrawn: `/sop constraints` lists them all, resolve one that is over, withdraw one entered by mistake or cancelled.';
    expect(dm(OTTO)).toEqual([
      `${head} Open constraints you entered: LINE-3 2027-05–2027-06 (maintenance); LINE-17 2027-05–2027-06 (maintenance). 23 more are open, entered by others. ${tail}`,
    ]);
    expect(dm(OWEN)).toEqual([
      `${head} Open constraints you entered: LINE-5 2027-05–2027-06 (maintenance); LINE-6 2027-05–2027-06 (maintenance); LINE-7 2027-05–2027-06 (maintenance); LINE-8 2027-05–2027-06 (maintenance); LINE-9 2027-05–2027-06 (maintenance); LINE-10 2027-05–2027-06 (maintenance); LINE-11 2027-05–2027-06 (maintenance); LINE-12 2027-05–2027-06 (maintenance); LINE-13 2027-05–2027-06 (maintenance); LINE-14 2027-05–2027-06 (maintenance) and 1 more of yours. 14 more are open, entered by others. ${tail}`,
    ]);
    expect(dm(OLGA)).toEqual([
      `${head} 25 constraints are open, none of them entered by you. ${tail}`,
    ]);
    // Before: 1,312 characters each, all 25 named.
    expect(dm(OLGA)[0]!.length).toBeLessThan(300);
    expect(dm(PAT)).toEqual([]);
  });
});
