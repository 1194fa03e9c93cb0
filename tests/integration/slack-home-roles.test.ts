/**
 * Roles, settings, help and App Home end to end: the real bot over HTTP against the Slack
 * stand-in, with real Postgres and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { markDone } from '../../src/services/actions.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { type HttpTestBot, startHttpTestBot } from '../helpers/bot.js';
import { auditEntries, insertCycle } from '../helpers/db.js';
import { commandEphemeral } from '../helpers/slack.js';

// SOPBOT_ADMIN_USERS takes real-looking Slack ids, so this workspace has its own users.
const ADMIN = 'UCARA001';
const REP = 'UALICE01';
const OTHER = 'UBOB0001';
const USERS = [
  { id: ADMIN, name: 'cara', real_name: 'Cara Singh', tz: 'Asia/Kolkata' },
  { id: REP, name: 'alice', real_name: 'Alice Martin', tz: 'Europe/Paris' },
  { id: OTHER, name: 'bob', real_name: 'Bob Chen', tz: 'America/New_York' },
];
let running: HttpTestBot;
let db: Db;
let standin: Standin;
let driver: Driver;

/** Sends `/sop <text>` and returns the ephemeral answer. */
const sop = (user: string, text: string) =>
  commandEphemeral(running, '/sop', user, text).then((e) => e.text);

beforeAll(async () => {
  running = await startHttpTestBot('slack-home-roles', {
    standin: { users: USERS },
    env: { SOPBOT_ADMIN_USERS: ADMIN },
  });
  ({ standin, driver } = running);
  db = running.t.db;
  await db
    .insertInto('families')
    .values(
      ['FAM-1', 'FAM-2'].map((code) => ({
        code,
        name: `Family ${code}`,
        price: 10,
        unit_cost: 5,
        holding_cost: 1,
        backlog_cost: 2,
      })),
    )
    .execute();
});

afterAll(async () => {
  await running?.stop();
});

describe('/sop roles and settings', () => {
  it('help lists the commands with their usage, the reader’s first', async () => {
    // REP has no role yet: what anyone may use in full, then the rest by the roles that may,
    // and who gives roles: Cara, the one admin (SOPBOT_ADMIN_USERS).
    const text = await sop(REP, 'help');
    const others = text.indexOf('*Other commands*');
    expect(text.startsWith('*Your sopbot commands* (you have no role in sopbot yet;')).toBe(true);
    expect(text.split('\n')[0]).toBe(
      '*Your sopbot commands* (you have no role in sopbot yet; ask an admin, <@UCARA001>, to give you one with `/sop role`)',
    );
    expect(text.indexOf('• `/sop status')).toBeLessThan(others);
    expect(text).toContain('• _Sales, Planner, Executive or Admin members_: `/forecast`\n');
    expect(text.indexOf('`/forecast`')).toBeGreaterThan(others);
    expect(text).toContain(
      '• _Admin members_: `/sop role`, `/sop settings`, `/sop vote mode|quorum`\n',
    );
    expect(text).toContain('• _Planner or Admin members_: `/sop families`, ');
    // The admin may use every command but declaring no change, which only a sales rep may.
    const admin = await sop(ADMIN, 'help');
    expect(admin.startsWith('*Your sopbot commands* (as Admin)\n')).toBe(true);
    expect(admin).toContain(
      '• `/sop role @user sales|ops|planner|exec|admin|none` give a member a role, or see theirs\n',
    );
    expect(admin).toContain('/sop families @user FAM-1 FAM-2');
    expect(admin).toContain('/forecast FAM-12 2027-03..2027-05 +15% promotion');
    const adminOthers = admin.slice(admin.indexOf('*Other commands*'));
    expect(adminOthers.split('\n').filter((l) => l.startsWith('• _'))).toEqual([
      '• _Sales members_: `/forecast no-change`',
    ]);
    // One command in detail, each part with its roles.
    const pack = await sop(REP, 'help pack');
    expect(pack).toContain('• `/sop pack [YYYY-MM] [md]`');
    expect(pack).toContain('— _anyone (you may)_');
    expect(pack).toContain(
      '• `/sop pack [YYYY-MM] post` post the pack in the executive channel — _Planner, Executive or Admin members_',
    );
    const vote = await sop(REP, 'help vote');
    expect(vote.split('\n')).toEqual([
      '*`/sop vote`*: who may use each part',
      '• `/sop vote [hours or days open: 72, 3 days; default 48 hours]` post the scenario vote in the executive phase (only executives count) — _Planner, Executive or Admin members_',
      '• `/sop vote mode named|anonymous · /sop vote quorum N|off` how the next votes run — _Admin members_',
    ]);
    expect(await sop(REP, 'help frobnicate')).toContain(
      '`frobnicate` is not a sopbot command; name one of forecast, capacity, help,',
    );
    // What was typed is quoted back as text: no mention, no link, no bold.
    const typed = await sop(REP, 'help <!channel>*x*<https://e.example|y>');
    expect(typed).toContain(
      '`&lt;!channel&gt;*x*&lt;https://e.example|y&gt;` is not a sopbot command; name one of',
    );
    expect(typed).not.toContain('<!channel>');
    const unknown = await sop(REP, 'frobnicate');
    expect(unknown).toContain('Unknown subcommand `frobnicate`');
    expect(unknown).toContain('/sop help');
    expect(unknown).toContain('ask an admin, <@UCARA001>, to give you one with `/sop role`');
  });

  it('only admins set roles; the first admin comes from SOPBOT_ADMIN_USERS', async () => {
    const refused = await sop(REP, 'role <@UBOB0001|bob> exec');
    expect(refused).toContain(
      'Only Admin members can use `/sop role`; you have no role in sopbot yet.',
    );
    expect(await db.selectFrom('members').selectAll().execute()).toEqual([]);

    expect(await sop(ADMIN, 'role <@UALICE01|alice> sales')).toBe('<@UALICE01> is now *Sales*.');
    const bad = await sop(ADMIN, 'role <@UBOB0001|bob> wizard');
    expect(bad).toContain('`wizard` is not a role; use one of sales, ops, planner, exec, admin');
    const rows = await db.selectFrom('members').select(['slack_user_id', 'role']).execute();
    expect(rows).toEqual([{ slack_user_id: REP, role: 'sales' }]);
    const audit = await auditEntries(db, 'member.role');
    expect(audit).toHaveLength(1);

    // Slack retries the same request (same trigger_id): it is done once and answered once.
    const ack = await driver.command('/sop', {
      user: ADMIN,
      channel: 'C_GENERAL',
      text: 'role <@UALICE01|alice> sales',
    });
    const retry = await driver.resend(ack.request, { retryNum: 1, retryReason: 'http_timeout' });
    expect([ack.status, retry.status]).toEqual([200, 200]);
    const isAnswer = (e: { text: string }) => e.text === '<@UALICE01> is now *Sales*.';
    await standin.waitFor(() => standin.ephemeralsFor(ADMIN).filter(isAnswer).length >= 2);
    expect(await sop(ADMIN, 'help')).toContain('*Your sopbot commands*'); // after the retry was handled
    const audits = await auditEntries(db, 'member.role');
    expect(audits).toHaveLength(2);
    const answers = standin.ephemeralsFor(ADMIN).filter(isAnswer);
    expect(answers).toHaveLength(2); // the first /sop role above, and this request once
  });

  it('the last admin cannot give themself another role', async () => {
    // Cara is an admin by SOPBOT_ADMIN_USERS, and the only one.
    expect(await sop(ADMIN, 'role <@UCARA001|cara> planner')).toBe(
      ':warning: You are the last admin; sopbot would have no admin left. Make someone else admin first (`/sop role @someone admin`), then change your role.',
    );
    const rows = await db.selectFrom('members').select('slack_user_id').execute();
    expect(rows.map((r) => r.slack_user_id)).not.toContain(ADMIN);
  });

  it('admins and planners assign families; unknown codes are named', async () => {
    // Codes in any case, as /forecast reads them; the answer spells them as the company does.
    expect(await sop(ADMIN, 'families <@UALICE01|alice> fam-1 FAM-2')).toBe(
      '<@UALICE01> now covers `FAM-1`, `FAM-2`.',
    );
    expect(await sop(ADMIN, 'families <@UALICE01> FAM-9')).toContain(
      'Nothing was changed: there is no family `FAM-9`.',
    );
    expect(await sop(REP, 'families <@UALICE01> FAM-1')).toContain(
      'Only Planner or Admin members can use `/sop families`; your role is Sales.',
    );
    const fams = await db.selectFrom('member_families').selectAll().execute();
    expect(fams).toHaveLength(2);
  });

  it('no role shows the person’s role and changes nothing', async () => {
    // Alice was made a sales rep above; Bob has no role. `/sop role @alice` answered
    // "`` is not a role".
    const rows = () => db.selectFrom('members').select(['slack_user_id', 'role']).execute();
    const before = await rows();
    expect(await sop(ADMIN, 'role <@UALICE01|alice>')).toBe(
      '<@UALICE01> is *Sales*; nothing was changed. Name a role to give them one: `/sop role <@UALICE01> sales|ops|planner|exec|admin` (`none` takes it away).',
    );
    expect(await sop(ADMIN, 'role <@UBOB0001>')).toBe(
      '<@UBOB0001> has no role in sopbot; nothing was changed. Name a role to give them one: `/sop role <@UBOB0001> sales|ops|planner|exec|admin` (`none` takes it away).',
    );
    expect(await rows()).toEqual(before);
  });

  it('no codes shows what a rep covers and changes nothing; `none` clears them', async () => {
    // Alice covers FAM-1 and FAM-2 (the test above). `/sop families @alice`, typed to see
    // them, cleared both and answered "now covers no families".
    const covered = () =>
      db
        .selectFrom('member_families')
        .select('family_id')
        .where('slack_user_id', '=', 'UALICE01')
        .execute();
    expect(await sop(ADMIN, 'families <@UALICE01|alice>')).toBe(
      '<@UALICE01> covers `FAM-1`, `FAM-2`; nothing was changed. Name the families they cover (`/sop families <@UALICE01> FAM-1 FAM-2`), or `none` to clear them.',
    );
    expect(await covered()).toHaveLength(2);
    expect(await sop(ADMIN, 'families <@UALICE01> None')).toBe(
      '<@UALICE01> now covers no families.',
    );
    expect(await covered()).toEqual([]);
    expect(await sop(ADMIN, 'families <@UALICE01>')).toBe(
      '<@UALICE01> covers no families; nothing was changed. Name the families they cover (`/sop families <@UALICE01> FAM-1 FAM-2`), or `none` to clear them.',
    );
    expect(await sop(ADMIN, 'families <@UALICE01> FAM-1 fam-2')).toBe(
      '<@UALICE01> now covers `FAM-1`, `FAM-2`.',
    );
  });

  it('`none` takes a role away with the families, once; the bootstrap admin is not changed', async () => {
    // Bob joins as a sales rep covering FAM-1, then leaves: before, sopbot had no way to take
    // his role away, so every demand review nudged him and he counted as a rep.
    expect(await sop(ADMIN, 'role <@UBOB0001> sales')).toBe('<@UBOB0001> is now *Sales*.');
    expect(await sop(ADMIN, 'families <@UBOB0001> FAM-1')).toBe('<@UBOB0001> now covers `FAM-1`.');
    const before = (await auditEntries(db, 'member.role')).length;
    expect(await sop(ADMIN, 'role <@UBOB0001> none')).toBe(
      '<@UBOB0001> no longer has a role in sopbot (they were *Sales*) and covers no families: they are not asked for input, nudged or counted in votes.',
    );
    const bob = (table: 'members' | 'member_families') =>
      db
        .selectFrom(table)
        .select('slack_user_id')
        .where('slack_user_id', '=', 'UBOB0001')
        .execute();
    expect(await bob('members')).toEqual([]);
    expect(await bob('member_families')).toEqual([]);
    expect((await auditEntries(db, 'member.role')).length - before).toBe(1);
    // Again: nothing left to take.
    expect(await sop(ADMIN, 'role <@UBOB0001> none')).toBe(
      ':warning: <@UBOB0001> has no role in sopbot; nothing was changed.',
    );
    // Cara is an admin by SOPBOT_ADMIN_USERS only: that is not sopbot's to change.
    expect(await sop(ADMIN, 'role <@UCARA001> none')).toBe(
      ':warning: <@UCARA001> is an admin by SOPBOT_ADMIN_USERS, which is set where sopbot runs, not in Slack; nothing was changed.',
    );
    expect((await auditEntries(db, 'member.role')).length - before).toBe(1);
  });

  it('admins set channels, fences and the horizon', async () => {
    const text = await sop(
      ADMIN,
      'settings channels demand <#C_DEMAND|sop-demand> supply <#C_SUPPLY|sop-supply> exec <#C_EXEC|sop-exec>',
    );
    expect(text).toContain('demand <#C_DEMAND>, supply <#C_SUPPLY>, exec <#C_EXEC>');
    expect(await sop(ADMIN, 'settings fences 1 3')).toContain('frozen 1 month, slushy 3 months');
    expect(await sop(ADMIN, 'settings horizon 40')).toContain('horizon must be at most 36');
    const s = await db.selectFrom('workspace_settings').selectAll().executeTakeFirstOrThrow();
    expect([s.demand_channel, s.frozen_months, s.slushy_months, s.horizon_months]).toEqual([
      'C_DEMAND',
      1,
      3,
      18,
    ]);
  });
});

describe('App Home', () => {
  it('shows role, families, the cycle with deadlines, submissions and actions; one publish per event', async () => {
    const cycleId = await insertCycle(db, {
      month: '2027-01',
      phase: 'demand_review',
      deadlines: JSON.stringify({
        data_gathering: '2027-01-05T17:00:00Z',
        demand_review: '2027-01-12T17:00:00Z',
      }),
    });
    await db
      .insertInto('actions')
      .values({
        cycle_id: cycleId,
        description: 'Confirm the spring promotion volumes',
        owner: REP,
        due_date: '2027-01-20',
        created_by: ADMIN,
        request_key: 'home-test-action',
      })
      .execute();
    const n = standin.ephemeralsFor(REP).length;
    await driver.command('/forecast', {
      user: REP,
      channel: 'C_DEMAND',
      text: 'FAM-2 2027-09 +40 launch "First shipments"',
    });
    await standin.waitFor(() => standin.ephemeralsFor(REP)[n]);

    const first = await driver.event({
      type: 'app_home_opened',
      user: REP,
      channel: `D_${REP}`,
      tab: 'home',
    });
    expect(first.status).toBe(200);
    const home = await standin.waitFor(() => standin.homeView(REP));
    const text = JSON.stringify(home.definition);
    expect(text).toContain('Your role: *Sales*');
    expect(text).toContain('`FAM-1`, `FAM-2`');
    expect(text).toContain('S&OP cycle 2027-01');
    expect(text).toContain('Phase: *Demand review*');
    // 2027-01-12T17:00Z: 1798761600 (1 Jan 00:00Z) + 11 days + 17 h = 1799773200.
    expect(text).toContain(
      'Demand review: <!date^1799773200^{date_short_pretty} {time}|2027-01-12 17:00 UTC> ← now',
    );
    expect(text).toContain('*FAM-2* 2027-09 +40 (launch) 0 → 40 · accepted');
    expect(text).toContain('Confirm the spring promotion volumes');
    expect(text).toContain('action_done');

    await driver.resend(first.request, { retryNum: 1, retryReason: 'http_timeout' });
    await driver.event(
      { type: 'app_home_opened', user: REP, channel: `D_${REP}`, tab: 'home' },
      { eventId: first.eventId },
    );
    await driver.event({ type: 'app_home_opened', user: REP, channel: `D_${REP}`, tab: 'home' });
    await standin.waitFor(() => standin.callsTo('views.publish').length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(standin.callsTo('views.publish')).toHaveLength(2);
    const keys = await db.selectFrom('processed_requests').select('kind').execute();
    expect(keys.filter((k) => k.kind === 'app_home_opened')).toHaveLength(2);
  });

  it('lists the latest 10 submissions and says how many more there are', async () => {
    const cycle = await db
      .selectFrom('cycles')
      .select('id')
      .where('month', '=', '2027-01')
      .executeTakeFirstOrThrow();
    const fam = await db
      .selectFrom('families')
      .select('id')
      .where('code', '=', 'FAM-1')
      .executeTakeFirstOrThrow();
    // The test above submitted one; 13 more makes 14: 10 listed, 4 more.
    await db
      .insertInto('forecast_adjustments')
      .values(
        Array.from({ length: 13 }, (_, i) => ({
          cycle_id: cycle.id,
          family_id: fam.id,
          period: `2027-${String((i % 9) + 2).padStart(2, '0')}`,
          author: REP,
          author_role: 'sales' as const,
          kind: 'delta_units' as const,
          value: i + 1,
          reason_code: 'promotion',
          zone: 'liquid' as const,
          source: 'cli' as const,
          request_key: `home-more-${i}`,
        })),
      )
      .execute();
    const before = standin.callsTo('views.publish').length;
    await driver.event({ type: 'app_home_opened', user: REP, channel: `D_${REP}`, tab: 'home' });
    await standin.waitFor(() => standin.callsTo('views.publish').length > before);
    const home = standin.homeView(REP);
    const text = JSON.stringify(home?.definition);
    expect(text.match(/• \*FAM-/g)).toHaveLength(10);
    expect(text).toContain('*FAM-1* 2027-05 +13 (promotion)'); // the latest: 12 % 9 + 2 = 5
    expect(text).not.toContain('launch'); // the first, oldest, is among the 4 left out
    expect(text).toContain(
      "_…and 4 more submissions: each is in the thread of the cycle's summary in the demand channel._",
    );
  });

  it('Done on a stale App Home for an action already done: the answer comes as a DM', async () => {
    const a = await db
      .selectFrom('actions')
      .select('id')
      .where('request_key', '=', 'home-test-action')
      .executeTakeFirstOrThrow();
    const before = standin.callsTo('views.publish').length;
    await driver.event({ type: 'app_home_opened', user: REP, channel: `D_${REP}`, tab: 'home' });
    await standin.waitFor(() => standin.callsTo('views.publish').length > before);
    const home = standin.homeView(REP)!;
    expect(JSON.stringify(home.definition)).toContain('Confirm the spring promotion volumes');
    // Closed elsewhere (the DM's button) after the Home was drawn: the Home still offers Done.
    await markDone(
      { ...running.bot.deps, clock: { now: () => new Date('2027-01-15T09:00:00Z') } },
      a.id,
      REP,
    );
    // An App Home click carries no channel, so no ephemeral can be shown; the DM is the place.
    await driver.selectOption(home.id, 'action_done', a.id, { user: REP });
    const dm = await standin.waitFor(() =>
      standin.messagesIn(`D_${REP}`).find((m) => m.text === `Action #${a.id} is already done.`),
    );
    expect(dm.user).not.toBe(REP);
  });

  it('a user with no role sees why, and no buttons that would only refuse them', async () => {
    await driver.event({
      type: 'app_home_opened',
      user: OTHER,
      channel: `D_${OTHER}`,
      tab: 'home',
    });
    const otherHome = await standin.waitFor(() => standin.homeView(OTHER));
    const text = JSON.stringify(otherHome.definition);
    expect(text).toContain('_no role yet_');
    expect(text).toContain('Ask an admin for a role');
    expect(text).not.toContain('home_open_forecast');
  });
});
