/**
 * The frozen fence must leave a month of the horizon outside it: `/sop settings horizon 1`
 * with 2 frozen months, or `fences` at or beyond the horizon, froze the whole horizon without a
 * word (every adjustment an executive exception, production fixed to the adopted plan). The
 * rule is the settings service's, checked against the locked row in the update's transaction.
 */
import { describe, expect, it } from 'vitest';
import { getSettings, updateSettings } from '../../src/services/settings.js';
import { testClock, useHarness } from './meeting-fixture.js';

const ADMIN = 'U_ADMIN';
const h = useHarness({
  label: 'settings-fences',
  members: { [ADMIN]: 'admin' },
  clock: testClock('2027-01-10T10:00:00Z'),
});

/** `/sop <text>` as the admin, and the next ephemeral they get. */
async function sop(text: string): Promise<string> {
  const n = h.standin.ephemeralsFor(ADMIN).length;
  await h.sop(ADMIN, text, 'C_DEMAND');
  return (await h.standin.waitFor(() => h.standin.ephemeralsFor(ADMIN)[n], 20_000)).text;
}

const stored = async () => {
  const s = await getSettings(h.db);
  return { horizon: s.horizon_months, frozen: s.frozen_months, slushy: s.slushy_months };
};

describe('time fences within the horizon', () => {
  it('refuses a horizon the frozen fence covers, naming both and what to change', async () => {
    // The defaults: 18 months, 2 frozen, 4 slushy.
    expect(await stored()).toEqual({ horizon: 18, frozen: 2, slushy: 4 });
    const reply = await sop('settings horizon 1');
    expect(reply).toBe(
      ':warning: Horizon not changed: the frozen fence (2 months) would cover the whole 1-month horizon, so every change would need an executive exception and production would be fixed to the adopted plan. Set a horizon of at least 3 months, or first shorten the frozen fence with `/sop settings fences &lt;frozen&gt; &lt;slushy&gt;`.',
    );
    // 2 is refused too (2 frozen of 2); 3 leaves month 3 open.
    await expect(updateSettings(h.db, { horizon_months: 2 })).rejects.toThrow(
      'Horizon not changed: the frozen fence (2 months) would cover the whole 2-month horizon',
    );
    expect(await stored()).toEqual({ horizon: 18, frozen: 2, slushy: 4 });
    await updateSettings(h.db, { horizon_months: 3 });
    expect(await stored()).toEqual({ horizon: 3, frozen: 2, slushy: 4 });
  });

  it('refuses fences whose frozen months reach the horizon; slushy may run to its end', async () => {
    // The horizon is 3 (the test above).
    const reply = await sop('settings fences 3 0');
    expect(reply).toBe(
      ':warning: Fences not changed: the frozen fence (3 months) would cover the whole 3-month horizon, so every change would need an executive exception and production would be fixed to the adopted plan. Set at most 2 frozen months, or first lengthen the horizon with `/sop settings horizon &lt;months&gt;`.',
    );
    expect(await stored()).toEqual({ horizon: 3, frozen: 2, slushy: 4 });
    // 1 frozen, 2 slushy: no liquid month, but months 2 and 3 stay open to change, flagged.
    await sop('settings fences 1 2');
    expect(await stored()).toEqual({ horizon: 3, frozen: 1, slushy: 2 });
    // Both in one patch are checked together: 12 frozen of a 13-month horizon stands.
    await updateSettings(h.db, { horizon_months: 13, frozen_months: 12 });
    expect(await stored()).toEqual({ horizon: 13, frozen: 12, slushy: 2 });
    await expect(updateSettings(h.db, { horizon_months: 12, frozen_months: 12 })).rejects.toThrow(
      'Fences not changed: the frozen fence (12 months) would cover the whole 12-month horizon',
    );
  });

  it('a row stored before the rule still takes a change of channels', async () => {
    await h.db
      .updateTable('workspace_settings')
      .set({ horizon_months: 2, frozen_months: 2 })
      .execute();
    await updateSettings(h.db, { demand_channel: 'C_NEW' });
    expect((await getSettings(h.db)).demand_channel).toBe('C_NEW');
  });
});

describe('typed settings are read as numbers are everywhere else', () => {
  it('refuses an empty value, hex, exponents and decimal commas instead of reading 0, 2 or 10', async () => {
    const before = await getSettings(h.db);
    // z.coerce read `due-days=` as 0, `0x2` as 2 and `1e1` as 10, and stored them.
    expect(await sop('settings execution due-days=')).toContain(
      'due days is missing: give a number.',
    );
    expect(await sop('settings fences 0x2 3')).toContain(
      'frozen months must be a number, not `0x2`.',
    );
    expect(await sop('settings horizon 1e1')).toContain(
      'horizon: `1e1` is in scientific notation: write 10.',
    );
    // A % on a setting counted in months or days; N/A, brackets and a dash for the minus.
    expect(await sop('settings horizon 12%')).toContain(
      'horizon is in months, not %: write 12 for `12%`.',
    );
    expect(await sop('settings execution due-days=4%')).toContain(
      'due days is in days, not %: write 4 for `4%`.',
    );
    expect(await sop('settings horizon N/A')).toContain(
      'horizon: `N/A` is no number; every setting has one, so give it.',
    );
    expect(await sop('settings fences (1) 3')).toContain(
      'frozen months: `(1)` is an accounting negative (a number in brackets): write -1.',
    );
    expect(await sop('settings horizon –3')).toContain(
      "horizon: `–3` uses an en dash (–) for a minus sign: type the keyboard's hyphen-minus, -3.",
    );
    expect(await sop('settings execution production=2,5')).toContain(
      'production shortfall %: use a dot for decimals (2.5); a comma only separates thousands, as in 1,000.',
    );
    expect(await sop('settings fences 1')).toContain('slushy months is missing: give a number.');
    const after = await getSettings(h.db);
    expect([after.soe_due_days, after.frozen_months, after.horizon_months]).toEqual([
      before.soe_due_days,
      before.frozen_months,
      before.horizon_months,
    ]);
    expect(after.soe_production_shortfall_pct).toBe(before.soe_production_shortfall_pct);
    // What people do type still works, the minus sign and spaces included; a setting in %
    // takes its % (it was refused as "not a number").
    await sop('settings execution production=2.5% due-days=4');
    const set = await getSettings(h.db);
    expect([set.soe_production_shortfall_pct, set.soe_due_days]).toEqual([2.5, 4]);
    await sop('settings comment-threshold 15%');
    expect((await getSettings(h.db)).comment_threshold_pct).toBe(15);
    expect(await sop('settings horizon −3')).toContain('horizon must be at least 1.');
  });
});
