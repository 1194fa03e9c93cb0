/**
 * The authorization policy through Slack: the real bot over HTTP against the stand-in, with
 * real Postgres and Redis. A refused role gets the refusal for a command, a modal submission
 * and a button, and nothing is stored; an admin named in SOPBOT_ADMIN_USERS (no stored role)
 * is let through by the same member resolution.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { type HttpTestBot, startHttpTestBot } from '../helpers/bot.js';
import { changeModalValues } from '../helpers/slack.js';
import { insertFamilies, seedForecastCycle } from './meeting-fixture.js';

const REP = 'UREP0001';
const OPS = 'UOPS0001';
const ADMIN = 'UADM0001';
const USERS = [
  { id: REP, name: 'rita', real_name: 'Rita Rep', tz: 'Europe/Paris' },
  { id: OPS, name: 'otto', real_name: 'Otto Ops', tz: 'Europe/Paris' },
  { id: ADMIN, name: 'ada', real_name: 'Ada Admin', tz: 'Europe/Paris' },
];
const FORECAST_REFUSAL =
  'Only Sales, Planner, Executive or Admin members can adjust the demand forecast; your role is Operations.';

let running: HttpTestBot;
let db: Db;
let standin: Standin;
let driver: Driver;

const adjustments = () => db.selectFrom('forecast_adjustments').selectAll().execute();

beforeAll(async () => {
  running = await startHttpTestBot('policy-refusals', {
    standin: { users: USERS, postMessageRate: false },
    env: { SOPBOT_ADMIN_USERS: ADMIN },
  });
  ({ standin, driver } = running);
  db = running.t.db;
  const { fam1 } = await insertFamilies(db);
  await seedForecastCycle(db, fam1, { rep: REP, ops: OPS, months: 12 });
});

afterAll(async () => {
  await running?.stop();
});

describe('a refused role is told why, wherever it asks', () => {
  it('a command: /forecast typed by operations', async () => {
    await driver.command('/forecast', {
      user: OPS,
      channel: 'C_DEMAND',
      text: 'FAM-1 2027-07 +10% promotion "Summer"',
    });
    const reply = await standin.waitFor(() =>
      standin.ephemeralsFor(OPS).find((e) => e.text.includes('adjust the demand forecast')),
    );
    expect(reply.text).toContain(FORECAST_REFUSAL);
    expect(await adjustments()).toEqual([]);
  });

  it('a modal submission: a rep whose role changed to operations after opening the modal', async () => {
    await driver.command('/forecast', { user: REP, channel: 'C_DEMAND' });
    const viewId = await standin.waitFor(() => {
      const v = standin.openViews(REP).at(-1);
      return v && v.definition.callback_id === 'forecast_submit' ? v.id : undefined;
    });
    await db.updateTable('members').set({ role: 'ops' }).where('slack_user_id', '=', REP).execute();
    try {
      const submitted = await driver.submitView(viewId, {
        values: changeModalValues({
          target: 'FAM-1',
          from: '2027-07',
          to: '2027-07',
          kind: 'delta_pct',
          value: '10',
          reason: 'promotion',
        }),
      });
      expect(submitted.outcome.action).toBe('errors');
      expect(JSON.stringify(submitted.outcome)).toContain(FORECAST_REFUSAL);
      expect(await adjustments()).toEqual([]);
    } finally {
      await db
        .updateTable('members')
        .set({ role: 'sales' })
        .where('slack_user_id', '=', REP)
        .execute();
    }
  });

  it('buttons: "Adjust forecast" and "No change for my families" clicked by operations', async () => {
    // The App Home's own buttons (action ids from presenters/home.ts and change-modal.ts),
    // in a message, as a forged or stale click would carry them.
    const slack = new WebClient(running.env.SLACK_BOT_TOKEN, { slackApiUrl: standin.apiUrl });
    const posted = await slack.chat.postMessage({
      channel: 'C_DEMAND',
      text: 'Forecast buttons',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'home_open_forecast',
              text: { type: 'plain_text', text: 'Adjust forecast' },
            },
            {
              type: 'button',
              action_id: 'forecast_no_change',
              text: { type: 'plain_text', text: 'No change' },
            },
          ],
        },
      ],
    });
    const ts = posted.ts ?? '';

    await driver.clickButton('C_DEMAND', ts, 'home_open_forecast', { user: OPS });
    const modal = await standin.waitFor(() => {
      const v = standin.openViews(OPS).at(-1);
      return v && JSON.stringify(v.definition).includes('adjust the demand forecast')
        ? v
        : undefined;
    });
    expect(JSON.stringify(modal.definition)).toContain(FORECAST_REFUSAL);

    await driver.clickButton('C_DEMAND', ts, 'forecast_no_change', { user: OPS });
    const dm = await standin.waitFor(() =>
      standin
        .callsTo('chat.postMessage')
        .find(
          (c) =>
            c.args.channel === OPS &&
            String(c.args.text).includes('declare no change to the forecast'),
        ),
    );
    expect(String(dm.args.text)).toContain(
      'Only Sales, Planner, Executive or Admin members can declare no change to the forecast; your role is Operations.',
    );
    expect(await db.selectFrom('no_change_declarations').selectAll().execute()).toEqual([]);
  });

  it('an admin from SOPBOT_ADMIN_USERS, with no stored role, is let through', async () => {
    expect(
      await db.selectFrom('members').where('slack_user_id', '=', ADMIN).selectAll().execute(),
    ).toEqual([]);
    await driver.command('/forecast', {
      user: ADMIN,
      channel: 'C_DEMAND',
      text: 'FAM-1 2027-07 +10% promotion "Summer"',
    });
    const reply = await standin.waitFor(() => standin.ephemeralsFor(ADMIN)[0]);
    expect(reply.text).toBe('Forecast adjustment saved: FAM-1 2027-07 +10% (promotion).');
    expect(await adjustments()).toHaveLength(1);
  });
});
