/**
 * `/sop constraints <RESOURCE>` through the real bot over HTTP, with the stand-in: one
 * resource's open constraints (its code in any case), the known resources named when the code
 * is unknown, a click on the filtered list keeping it filtered, and the typed verbs unchanged.
 * Against Postgres and Redis.
 */
import { describe, expect, it } from 'vitest';
import { CONSTRAINT_RESOLVE, CONSTRAINT_WITHDRAW } from '../../src/slack/presenters/constraints.js';
import type { StoredEphemeral } from '../../src/slack-standin/index.js';
import { useHttpTestBot } from '../helpers/bot.js';
import { constraintNumber, insertCycle, insertMembers } from '../helpers/db.js';
import { blockText, commandEphemeral } from '../helpers/slack.js';

const OPS = 'U_OTTO';
const REP = 'U_RITA';

const running = useHttpTestBot('constraints-by-resource', {
  standin: {
    postMessageRate: false,
    users: [OPS, REP].map((id) => ({
      id,
      name: id.slice(2).toLowerCase(),
      real_name: id.slice(2),
      tz: 'UTC',
    })),
  },
  env: { SOPBOT_RECOMPUTE_CRON: 'off', SOPBOT_DIGEST_CRON: 'off' },
  seed: async (t) => {
    const ids = Object.fromEntries(
      (
        await t.db
          .insertInto('resources')
          .values(
            ['LINE-10', 'LINE-2', 'LINE-1'].map((code) => ({
              code,
              name: `Press ${code}`,
              kind: 'line' as const,
              regular_capacity: 500,
            })),
          )
          .returning(['id', 'code'])
          .execute()
      ).map((r) => [r.code, r.id]),
    );
    await insertMembers(t.db, { [OPS]: 'ops', [REP]: 'sales' });
    const feb = await insertCycle(t.db, { month: '2027-02', phase: 'supply_review' });
    const update = (code: string, period: string, requestKey: string, value: number) => ({
      cycle_id: feb,
      resource_id: ids[code] as number,
      period,
      kind: 'delta_pct' as const,
      value,
      reason_code: 'maintenance',
      comment: null,
      before_value: 500,
      after_value: 500 * (1 + value / 100),
      author: OPS,
      source: 'command' as const,
      request_key: requestKey,
    });
    await t.db
      .insertInto('capacity_updates')
      .values([
        update('LINE-2', '2027-03', 'overhaul', -30),
        update('LINE-2', '2027-04', 'overhaul', -30),
        update('LINE-1', '2027-05', 'belt', -50),
      ])
      .execute();
  },
});

const numberOf = (requestKey: string) => constraintNumber(running.t.db, requestKey);

/** The buttons of a message, as `block_id action_id:value`. */
const buttons = (m: StoredEphemeral | undefined): string[] =>
  (m?.blocks ?? []).flatMap((b) => {
    const block = b as {
      type?: string;
      block_id?: string;
      elements?: { action_id?: string; value?: string }[];
    };
    return block.type === 'actions'
      ? (block.elements ?? []).map((e) => `${block.block_id} ${e.action_id}:${e.value}`)
      : [];
  });

describe('/sop constraints <RESOURCE>', () => {
  it("lists only that resource's open constraints, its code typed in any case", async () => {
    const overhaul = await numberOf('overhaul');
    const list = await commandEphemeral(running, '/sop', OPS, 'constraints line-2');
    const text = blockText(list);
    expect(text).toContain(
      '*Open capacity constraints on LINE-2 for the plans of the 2027-02 cycle: 1*',
    );
    expect(text).toContain(`*#${overhaul}* *LINE-2* 2027-03..2027-04 -30% (maintenance)`);
    expect(text).not.toContain('LINE-1*');
    expect(text).toContain("`/sop constraints` lists every resource's.");
    expect(buttons(list)).toEqual([
      `constraint_actions_${overhaul}_on_LINE-2 ${CONSTRAINT_RESOLVE}:${overhaul}`,
      `constraint_actions_${overhaul}_on_LINE-2 ${CONSTRAINT_WITHDRAW}:${overhaul}`,
    ]);

    // A resource with none open says so, of that resource.
    const none = await commandEphemeral(running, '/sop', REP, 'constraints LINE-10');
    expect(blockText(none)).toContain(
      'No open capacity constraints on LINE-10 for the plans of the 2027-02 cycle.',
    );
    expect(buttons(none)).toEqual([]);
  });

  it('names the known resources when the code is unknown, and the forms when there is more', async () => {
    const unknown = await commandEphemeral(running, '/sop', REP, 'constraints LINE-3');
    expect(unknown.text).toBe(
      ":warning: There is no resource `LINE-3`. Name one of LINE-1, LINE-2, LINE-10, or type `/sop constraints` for every resource's.",
    );
    const typed = await commandEphemeral(running, '/sop', REP, 'constraints <!channel>');
    expect(typed.text).toContain('There is no resource `&lt;!channel&gt;`.');

    const extra = await commandEphemeral(running, '/sop', REP, 'constraints LINE-2 LINE-1');
    expect(extra.text).toContain(
      "`LINE-2` is neither resolve nor withdraw, and a resource's list takes its code alone: e.g. `/sop constraints LINE-2` or `/sop constraints resolve 41`.",
    );
  });

  it('keeps the list filtered after a click, and the typed verbs work as before', async () => {
    const overhaul = await numberOf('overhaul');
    const belt = await numberOf('belt');
    const list = await commandEphemeral(running, '/sop', OPS, 'constraints LINE-2');
    await running.driver.clickEphemeralButton(list.ts, CONSTRAINT_RESOLVE, {
      user: OPS,
      blockId: `constraint_actions_${overhaul}_on_LINE-2`,
    });
    const replaced = await running.standin.waitFor(() => {
      const m = running.standin.ephemeralsFor(OPS).find((e) => e.ts === list.ts);
      return m && blockText(m).includes('Resolved:') ? m : undefined;
    });
    // LINE-1's constraint is still open, but this list is LINE-2's.
    expect(blockText(replaced)).toContain(
      'No open capacity constraints on LINE-2 for the plans of the 2027-02 cycle.',
    );
    expect(blockText(replaced)).not.toContain('LINE-1*');

    const withdrawn = await commandEphemeral(running, '/sop', OPS, `constraints withdraw ${belt}`);
    expect(blockText(withdrawn)).toContain(
      `Withdrawn: #${belt} *LINE-1* 2027-05 -50% (maintenance).`,
    );
    const statuses = await running.t.db
      .selectFrom('capacity_updates')
      .select(['request_key', 'status'])
      .orderBy('id')
      .execute();
    expect(statuses).toEqual([
      { request_key: 'overhaul', status: 'resolved' },
      { request_key: 'overhaul', status: 'resolved' },
      { request_key: 'belt', status: 'withdrawn' },
    ]);
  });
});

describe('a resource coded like a verb (RESOLVE)', () => {
  it('alone, lists its constraints; with a number, the verb resolves; a verb alone is refused', async () => {
    const { db } = running.t;
    const resolveLine = await db
      .insertInto('resources')
      .values({ code: 'RESOLVE', name: 'Resolve press', kind: 'line', regular_capacity: 400 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cycle = await db
      .selectFrom('cycles')
      .select('id')
      .where('month', '=', '2027-02')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('capacity_updates')
      .values({
        cycle_id: cycle.id,
        resource_id: resolveLine.id,
        period: '2027-04',
        kind: 'delta_pct',
        value: -20,
        reason_code: 'maintenance',
        comment: null,
        before_value: 400,
        after_value: 320,
        author: OPS,
        source: 'command',
        request_key: 'resolve-press',
      })
      .execute();
    const press = await numberOf('resolve-press');

    // Before, "RESOLVE" was read as the verb and refused for want of a number.
    for (const typed of ['RESOLVE', 'resolve']) {
      const list = await commandEphemeral(running, '/sop', OPS, `constraints ${typed}`);
      expect(blockText(list)).toContain(
        '*Open capacity constraints on RESOLVE for the plans of the 2027-02 cycle: 1*',
      );
      expect(blockText(list)).toContain(`*#${press}* *RESOLVE* 2027-04 -20% (maintenance)`);
    }

    const resolved = await commandEphemeral(running, '/sop', OPS, `constraints RESOLVE ${press}`);
    expect(blockText(resolved)).toContain(
      `Resolved: #${press} *RESOLVE* 2027-04 -20% (maintenance).`,
    );

    // No resource is coded WITHDRAW: the verb without its number, refused as before.
    const withdraw = await commandEphemeral(running, '/sop', OPS, 'constraints WITHDRAW');
    expect(withdraw.text).toBe(
      ':warning: Say which constraint by its number, e.g. `/sop constraints withdraw 41`; `/sop constraints` lists them.',
    );
  });
});
