/**
 * A capacity update in months where a constraint is already open, through the real bot over
 * HTTP with the stand-in: two people entering one breakdown cut the capacity twice, so the
 * confirmation names the open constraint it counts with and how to take one back. Against
 * Postgres and Redis.
 */
import { describe, expect, it } from 'vitest';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { blockText, commandEphemeral } from '../helpers/slack.js';

const OPS = 'U_OTTO';
const OPS2 = 'U_OLGA';

const running = useHttpTestBot('capacity-overlap', {
  standin: {
    postMessageRate: false,
    users: [OPS, OPS2].map((id) => ({
      id,
      name: id.slice(2).toLowerCase(),
      real_name: id.slice(2),
      tz: 'UTC',
    })),
  },
  env: { SOPBOT_RECOMPUTE_CRON: 'off', SOPBOT_DIGEST_CRON: 'off' },
  seed: async (t) => {
    await t.db
      .insertInto('resources')
      .values(
        ['LINE-1', 'LINE-2'].map((code) => ({
          code,
          name: `Press ${code}`,
          kind: 'line' as const,
          regular_capacity: 500,
        })),
      )
      .execute();
    await insertMembers(t.db, { [OPS]: 'ops', [OPS2]: 'ops' });
    await insertCycle(t.db, { month: '2027-02', phase: 'supply_review' });
  },
});

const capacity = async (user: string, text: string) =>
  blockText(await commandEphemeral(running, '/capacity', user, text));

/** The number `/sop constraints` gives the constraint entered with `comment`. */
async function numberOf(comment: string): Promise<string> {
  const row = await running.t.db
    .selectFrom('capacity_updates')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('comment', '=', comment)
    .executeTakeFirstOrThrow();
  return String(row.id);
}

describe('a capacity update where a constraint is open', () => {
  it('names the open constraint it counts with, and how to withdraw or resolve it', async () => {
    const first = await capacity(OPS, 'LINE-2 2027-03..2027-04 -30% breakdown "Press down"');
    expect(first).not.toContain('Also open');
    const n = await numberOf('Press down');
    // Olga enters the same breakdown from 2027-04: both cut April.
    const second = await capacity(OPS2, 'LINE-2 2027-04..2027-05 -30% breakdown "Press 2 down"');
    // April: 500 × 0.7 = 350 with Otto's, × 0.7 again = 245. May: 500 → 350.
    expect(second).toContain('2027-04        350 → 245');
    expect(second).toContain('2027-05        500 → 350');
    expect(second).toContain(
      `:warning: Also open in these months: #${n} *LINE-2* 2027-03..2027-04 -30% (breakdown). Both count: this update's change comes on top of its. If this update replaces #${n}, withdraw it with \`/sop constraints withdraw ${n}\`; if #${n} is over, resolve it with \`/sop constraints resolve ${n}\`.`,
    );
  });

  it('names none for another resource, other months or a constraint withdrawn', async () => {
    expect(await capacity(OPS, 'LINE-1 2027-04 -10% staffing "Two off sick"')).not.toContain(
      'Also open',
    );
    expect(await capacity(OPS, 'LINE-2 2027-07 -10% staffing "Summer rota"')).not.toContain(
      'Also open',
    );
    const n = await numberOf('Press down');
    await commandEphemeral(running, '/sop', OPS, `constraints withdraw ${n}`);
    // March was Otto's alone, now withdrawn.
    expect(await capacity(OPS, 'LINE-2 2027-03 -10% staffing "Short shift"')).not.toContain(
      'Also open',
    );
  });

  it("answers Slack's retry of the command with the constraint it counts with, written once", async () => {
    await capacity(OPS, 'LINE-1 2027-09 -20% breakdown "Gearbox"');
    const g = await numberOf('Gearbox');
    const { standin, driver } = running;
    const n = standin.ephemeralsFor(OPS2).length;
    const first = await driver.command('/capacity', {
      user: OPS2,
      channel: 'C_GENERAL',
      text: 'LINE-1 2027-09 -20% breakdown "Gearbox again"',
    });
    expect(first.status).toBe(200);
    await standin.waitFor(() => standin.ephemeralsFor(OPS2)[n]);
    const retry = await driver.resend(first.request, { retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    const answers = await standin.waitFor(() => {
      const got = standin.ephemeralsFor(OPS2).slice(n);
      return got.length >= 2 ? got : undefined;
    });
    const warning = `:warning: Also open in these months: #${g} *LINE-1* 2027-09 -20% (breakdown).`;
    for (const a of answers) expect(blockText(a)).toContain(warning);
    // 500 × 0.8 = 400 with the first, × 0.8 again = 320, in both answers; one row written.
    for (const a of answers) expect(blockText(a)).toContain('2027-09        400 → 320');
    const rows = await running.t.db
      .selectFrom('capacity_updates')
      .select('id')
      .where('comment', '=', 'Gearbox again')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('says a set makes the open constraint count for nothing in its months', async () => {
    const m = await numberOf('Press 2 down');
    const set = await capacity(OPS, 'LINE-2 2027-05 =400 maintenance "Reduced speed"');
    expect(set).toContain(
      `:warning: Also open in these months: #${m} *LINE-2* 2027-04..2027-05 -30% (breakdown). This update sets the capacity: while it is open, #${m} changes nothing in the months both cover.`,
    );
  });
});
