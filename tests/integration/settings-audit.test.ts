/**
 * What an admin changes in `/sop settings` and `/sop vote mode|quorum` is in the audit log, as
 * roles, deadlines and holidays are: moving the executive channel in the middle of a cycle, or
 * making the next vote anonymous, left no trace of who did it or what it was before. Each
 * change is one `settings.change` entry naming the admin and each setting's value before and
 * after; a refused change and one that changes nothing write none. Through the real bot over
 * HTTP with the stand-in, against Postgres.
 */
import { describe, expect, it } from 'vitest';
import { storeTimezone } from '../../src/services/settings.js';
import { testClock, useHarness } from './meeting-fixture.js';

const ADMIN = 'U_ADMIN';
const h = useHarness({
  label: 'settings-audit',
  members: { [ADMIN]: 'admin' },
  clock: testClock('2027-01-10T10:00:00Z'),
});

/** `/sop <text>` as the admin, and the next ephemeral they get. */
async function sop(text: string): Promise<string> {
  const n = h.standin.ephemeralsFor(ADMIN).length;
  await h.sop(ADMIN, text, 'C_GENERAL');
  return (await h.standin.waitFor(() => h.standin.ephemeralsFor(ADMIN)[n], 20_000)).text;
}

const entries = () =>
  h.db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'entity', 'entity_id', 'details'])
    .where('action', '=', 'settings.change')
    .orderBy('id')
    .execute();

describe('settings changes are audited', () => {
  it('names the admin and each setting before and after', async () => {
    await sop('settings channels demand <#C_DEMAND|demand> exec <#C_EXEC|exec>');
    // The executive channel moves mid-cycle.
    await sop('settings channels exec <#C_BOARD|board>');
    // The defaults are 2 frozen and 4 slushy months, and production 10% below plan.
    await sop('settings fences 1 4');
    await sop('settings execution production=15');
    expect(await sop('vote mode anonymous')).toBe(
      'Next votes are anonymous: the tally shows counts only.',
    );
    await sop('vote quorum 3');

    const base = { actor: ADMIN, action: 'settings.change', entity: 'settings' };
    const rows = await entries();
    // One settings row (created by the first command), whose team the entries name.
    const team = (await h.db.selectFrom('workspace_settings').select('team_id').execute()).map(
      (r) => r.team_id,
    );
    expect(team).toHaveLength(1);
    expect(rows).toEqual([
      {
        ...base,
        entity_id: team[0],
        details: {
          from: { demand_channel: null, exec_channel: null },
          to: { demand_channel: 'C_DEMAND', exec_channel: 'C_EXEC' },
        },
      },
      {
        ...base,
        entity_id: team[0],
        details: { from: { exec_channel: 'C_EXEC' }, to: { exec_channel: 'C_BOARD' } },
      },
      // slushy 4 was already 4: only the frozen fence is named.
      {
        ...base,
        entity_id: team[0],
        details: { from: { frozen_months: 2 }, to: { frozen_months: 1 } },
      },
      {
        ...base,
        entity_id: team[0],
        details: {
          from: { soe_production_shortfall_pct: 10 },
          to: { soe_production_shortfall_pct: 15 },
        },
      },
      // The stored word for named is `open`.
      {
        ...base,
        entity_id: team[0],
        details: { from: { vote_mode: 'open' }, to: { vote_mode: 'anonymous' } },
      },
      {
        ...base,
        entity_id: team[0],
        details: { from: { vote_quorum: null }, to: { vote_quorum: 3 } },
      },
    ]);
  });

  it('writes nothing for a refused change or one that changes nothing', async () => {
    const before = (await entries()).length;
    // A horizon the frozen fence (1 month, above) covers is refused.
    expect(await sop('settings horizon 1')).toContain('Horizon not changed');
    // The same channel and fences again.
    await sop('settings channels exec <#C_BOARD|board>');
    await sop('settings fences 1 4');
    expect(await sop('vote quorum 3')).toContain('Next votes close when 3 executives have voted.');
    expect((await entries()).length).toBe(before);
  });
});

describe('a channel typed as text', () => {
  it('is refused saying to pick it from the list, so Slack links it', async () => {
    // "#demand" not picked from Slack's list arrives as text; the answer was "Expected pairs
    // like `demand #channel` …, got `demand #demand`", the form typed.
    const before = (await entries()).length;
    expect(await sop('settings channels demand #demand')).toBe(
      ':warning: `#demand` is not a channel Slack linked: type # and pick the channel from the list Slack offers (it links it), or give its id (C…).',
    );
    expect((await entries()).length).toBe(before);
  });
});

describe('/sop settings shows what the admin set', () => {
  it('lists the votes and the deadlines of new cycles with the rest', async () => {
    // Run after the changes above (anonymous votes, quorum 3); the deadline settings were
    // not shown at all, nor the votes'.
    await sop('cycle deadlines demand_review=6 at=16:30');
    expect(await sop('settings')).toBe(
      [
        '*sopbot settings*',
        '• Channels: demand <#C_DEMAND>, supply _not set_, exec <#C_BOARD>',
        // The fences are months, as the horizon is: 1 month frozen, 4 slushy.
        '• Horizon: 18 months; frozen 1 month, slushy 4 months',
        '• A comment is required for changes over 20%',
        '• S&OE: deviations at production 15% below plan, receipts 10% short; frozen-zone break at 25%; owners get 2 working days',
        '• Votes: anonymous votes, quorum 3 (`/sop vote mode|quorum`)',
        '• Deadlines of new cycles: 16:30 UTC, after Data gathering 3 working days, Demand review 6, Supply review 4, Pre-S&OP 3, Executive S&OP 2 (`/sop cycle deadlines`)',
      ].join('\n'),
    );
  });
});

describe('/sop cycle deadlines typed twice', () => {
  it('audits the working days per phase once: the second (a double click) changes nothing', async () => {
    const phaseDays = () =>
      h.db
        .selectFrom('audit_log')
        .select(['actor', 'details'])
        .where('action', '=', 'settings.phase_days')
        .orderBy('id')
        .execute();
    // demand_review=6 was set above, once.
    expect(await phaseDays()).toHaveLength(1);
    const saved = await sop('cycle deadlines supply_review=7');
    expect(await sop('cycle deadlines supply_review=7')).toBe(saved);
    // And a day count as it stands already, with the time as it stands (16:30, above).
    await sop('cycle deadlines demand_review=6 at=16:30');
    const rows = await phaseDays();
    expect(rows).toHaveLength(2);
    // The defaults 3, 5, 4, 3, 2 with demand review 6 (above) and supply review 7.
    expect(rows[1]).toEqual({
      actor: ADMIN,
      details: { data_gathering: 3, demand_review: 6, supply_review: 7, pre_sop: 3, executive: 2 },
    });
  });
});

describe('the company time zone set where sopbot runs', () => {
  it('is audited when SOPBOT_TIMEZONE moves it, and not when it stays', async () => {
    const before = (await entries()).length;
    // A process starts with the zone it had: nothing to record.
    expect(await storeTimezone(h.db, 'UTC')).toBeNull();
    expect((await entries()).length).toBe(before);
    // Restarted with SOPBOT_TIMEZONE=Europe/Berlin: deadlines and reminders move with it.
    expect(await storeTimezone(h.db, 'Europe/Berlin')).toBe('UTC');
    expect((await entries()).slice(before)).toEqual([
      {
        actor: 'sopbot',
        action: 'settings.change',
        entity: 'settings',
        entity_id: null,
        details: {
          from: { timezone: 'UTC' },
          to: { timezone: 'Europe/Berlin' },
          by: 'SOPBOT_TIMEZONE',
        },
      },
    ]);
  });
});
