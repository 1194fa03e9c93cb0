/**
 * Forged or replayed requests on a path written another way: Bolt routes any POST whose path
 * reads as `/slack/events` (dot segments resolved, a fragment dropped) to the listeners, so the
 * replay window's check (a request stamped more than 5 minutes off either way is refused) must
 * see them all. Sent over raw HTTP to the real bot, since fetch would rewrite the path first.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { slackSignatureHeaders } from '../../src/slack-standin/signing.js';
import { useHttpTestBot } from '../helpers/bot.js';

const ADMIN = 'U_ADMIN';
const running = useHttpTestBot('request-paths', {
  // The people given a role are Slack users of the workspace: `/sop role` refuses anyone else.
  standin: {
    users: [ADMIN, 'U_P0', 'U_P1', 'U_P2', 'U_P3', 'U_NOW'].map((id) => ({
      id,
      name: id.toLowerCase(),
      real_name: id,
      tz: 'UTC',
    })),
  },
  env: { SOPBOT_ADMIN_USERS: ADMIN, SOPBOT_RECOMPUTE_CRON: 'off' },
});

/** POSTs `body`, signed with the bot's secret at `timestamp`, to `path` as written. */
function post(path: string, body: string, timestamp: number): Promise<number> {
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
    ...slackSignatureHeaders(running.env.SLACK_SIGNING_SECRET ?? '', timestamp, body),
  };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: running.bot.slack.port() ?? 0, method: 'POST', path, headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `/sop role @<who> planner` typed by the admin, as Slack would send it. */
const roleCommand = (who: string) =>
  new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T_STANDIN',
    channel_id: 'C_GENERAL',
    user_id: ADMIN,
    command: '/sop',
    text: `role <@${who}> planner`,
    trigger_id: running.standin.issueTrigger(ADMIN),
    response_url: `${running.standin.apiUrl}nowhere`,
  }).toString();

const roleOf = async (who: string) =>
  (
    await running.t.db
      .selectFrom('members')
      .select('role')
      .where('slack_user_id', '=', who)
      .executeTakeFirst()
  )?.role ?? null;

describe('the replay window on every path Bolt reads as /slack/events', () => {
  it('refuses a request stamped 10 minutes ahead whatever way its path is written, and runs nothing', async () => {
    const ahead = Math.floor(Date.now() / 1000) + 600;
    const paths = ['/slack/events', '/./slack/events', '/x/../slack/events', '/slack/events#x'];
    const statuses: number[] = [];
    for (const [i, path] of paths.entries())
      statuses.push(await post(path, roleCommand(`U_P${i}`), ahead));
    expect(statuses).toEqual([401, 401, 401, 401]);
    // None of the commands ran: nobody was given a role.
    for (const i of paths.keys()) expect(await roleOf(`U_P${i}`)).toBeNull();
  });

  it('still takes a request stamped now on such a path (the check is the timestamp, not the path)', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await post('/./slack/events', roleCommand('U_NOW'), now)).toBe(200);
    await running.standin.waitFor(async () =>
      (await roleOf('U_NOW')) === 'planner' ? true : undefined,
    );
  });
});
