/**
 * Slash-command text arrives escaped, as Slack sends it with `should_escape: true` (the
 * stand-in's driver escapes what the test types): "R&D <beta>" arrives as
 * "R&amp;D &lt;beta&gt;". The bot reads the entities back once, so what is stored is what was
 * typed, and what is shown is escaped once; mentions still name their member.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import {
  insertFamilies,
  insertRun,
  SCENARIOS,
  seedForecastCycle,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const REP = 'U_REP';
const OPS = 'U_OPS';
const EXEC = 'U_EXEC';
const ADMIN = 'U_ADMIN';

const h = useHarness({
  label: 'command-entities',
  members: { [EXEC]: 'exec', [ADMIN]: 'admin' },
  users: [REP, OPS],
  clock: testClock('2027-01-10T10:00:00Z'),
});
let db: Db;
let cycleId: number;

beforeAll(async () => {
  db = h.db;
  const fam = await insertFamilies(db);
  cycleId = await seedForecastCycle(db, fam.fam1, { rep: REP, ops: OPS, months: 12 });
  await insertRun(db, {
    cycleId,
    runKey: 'entities-run',
    periods: ['2027-07', '2027-08'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
});

/** `command <text>` as `user`: the text Slack sent the bot, and the next ephemeral they get. */
async function answer(command: string, user: string, text: string, channel = 'C_DEMAND') {
  const n = h.standin.ephemeralsFor(user).length;
  const ack = await h.driver.command(command, { user, channel, text });
  expect(ack.status).toBe(200);
  const sent = new URLSearchParams(ack.request.body).get('text');
  const reply = await h.standin.waitFor(() => h.standin.ephemeralsFor(user)[n], 20_000);
  return { sent, reply };
}

describe('typed &, < and > in slash commands', () => {
  it('/forecast stores the comment as typed and shows it escaped once', async () => {
    const { sent, reply } = await answer(
      '/forecast',
      REP,
      'FAM-1 2027-07 +10% promotion "R&D <beta> launch"',
    );
    expect(sent).toBe('FAM-1 2027-07 +10% promotion "R&amp;D &lt;beta&gt; launch"');
    const rows = await db
      .selectFrom('forecast_adjustments')
      .select(['comment'])
      .where('cycle_id', '=', cycleId)
      .execute();
    expect(rows).toEqual([{ comment: 'R&D <beta> launch' }]);
    const shown = `${reply.text}\n${JSON.stringify(reply.blocks ?? [])}`;
    expect(shown).toContain('R&amp;D &lt;beta&gt; launch');
    expect(shown).not.toContain('&amp;amp;');
    expect(shown).not.toContain('&amp;lt;');
  });

  it('/sop decide stores the rationale as typed', async () => {
    await db.updateTable('cycles').set({ phase: 'executive' }).where('id', '=', cycleId).execute();
    const { sent, reply } = await answer(
      '/sop',
      EXEC,
      'decide central "R&D first, margin > volume"',
      'C_EXEC',
    );
    expect(sent).toBe('decide central "R&amp;D first, margin &gt; volume"');
    expect(reply.text).toMatch(/^Decision \d+ recorded: Adopt the Central scenario\.$/);
    const decisions = await db.selectFrom('decisions').select(['rationale']).execute();
    expect(decisions).toEqual([{ rationale: 'R&D first, margin > volume' }]);
  });

  it('a mention the client made still names its member', async () => {
    const { sent, reply } = await answer('/sop', ADMIN, `role <@${OPS}|ops> planner`, 'C_EXEC');
    expect(sent).toBe(`role <@${OPS}|ops> planner`);
    expect(reply.text).toBe(`<@${OPS}> is now *Planner*.`);
  });
});
