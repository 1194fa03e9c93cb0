/**
 * A resource code with a formatting mark where it could close the bold it is shown in
 * ("LINE_A_", which an import accepts), through the real bot over HTTP with the stand-in: the
 * confirmation shows it in bold as typed (a zero-width space on each side of the last `_`), and
 * the code copied from that message into `/capacity` again, invisible characters and all, is
 * the same resource. Against Postgres and Redis.
 */
import { describe, expect, it } from 'vitest';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { blockText, commandEphemeral } from '../helpers/slack.js';

const OPS = 'U_OTTO';
const Z = '\u200B';

const running = useHttpTestBot('typed-marks', {
  standin: {
    postMessageRate: false,
    users: [{ id: OPS, name: 'otto', real_name: 'Otto', tz: 'UTC' }],
  },
  env: { SOPBOT_RECOMPUTE_CRON: 'off', SOPBOT_DIGEST_CRON: 'off' },
  seed: async (t) => {
    await t.db
      .insertInto('resources')
      .values({ code: 'LINE_A_', name: 'Press A', kind: 'line', regular_capacity: 500 })
      .execute();
    await insertMembers(t.db, { [OPS]: 'ops' });
    await insertCycle(t.db, { month: '2027-02', phase: 'supply_review' });
  },
});

const capacity = async (text: string) =>
  blockText(await commandEphemeral(running, '/capacity', OPS, text));

describe('a code with a mark at its edge', () => {
  it('is shown in bold as typed, and copied back into a command it names the resource', async () => {
    const first = await capacity('LINE_A_ 2027-03 -20% breakdown "Gearbox"');
    // Without the zero-width spaces the last `_` would follow "A" and precede "*": mrkdwn
    // could read "_* (Press A)… _" as italics.
    expect(first).toContain(`*Capacity update saved* for *LINE_A${Z}_${Z}* (Press A)`);
    const copied = /saved\* for \*(.+?)\* \(Press A\)/.exec(first)?.[1];
    expect(copied).toBe(`LINE_A${Z}_${Z}`);
    const second = await capacity(`${copied} 2027-03 -10% breakdown "Copied"`);
    expect(second).toContain(`*Capacity update saved* for *LINE_A${Z}_${Z}* (Press A)`);
    const rows = await running.t.db
      .selectFrom('capacity_updates')
      .innerJoin('resources', 'resources.id', 'capacity_updates.resource_id')
      .select(['resources.code', 'capacity_updates.comment'])
      .orderBy('capacity_updates.id')
      .execute();
    expect(rows).toEqual([
      { code: 'LINE_A_', comment: 'Gearbox' },
      { code: 'LINE_A_', comment: 'Copied' },
    ]);
  });
});
