/**
 * `/sop vote` and `/sop pack post` post in the executive channel. When Slack refuses that for
 * good (the bot is not in the channel, it was archived), the person who typed is told where,
 * why and what to do, and nothing lands in a DM, where the other executives could not vote.
 * The real bot and worker, real Postgres and Redis, the stand-in refusing what the test says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import {
  insertChannels,
  insertFamilies,
  insertMarchRun,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const PAT = 'U_PAT'; // planner
const clock = testClock('2027-03-22T08:00:00Z');
const h = useHarness({ label: 'exec-refused', members: { [PAT]: 'planner' }, clock });
let db: Db;
let standin: Standin;

const say = (text: string, channel: string) =>
  nextEphemeral(standin, PAT, () => h.sop(PAT, text, channel));

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await insertChannels(db);
  const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  await insertMarchRun(db, cycleId, fam, 'exec-refused');
}, 60_000);

describe('the bot is not in the executive channel', () => {
  it('/sop vote: the vote is saved, the planner is told how to get it posted, and no DM holds it', async () => {
    standin.failNext('chat.postMessage', { error: 'not_in_channel', channel: 'C_EXEC' });
    const text = await say('vote', 'C_SUPPLY');
    const poll = await db
      .selectFrom('polls')
      .select(['id', 'channel_id', 'message_ts'])
      .executeTakeFirstOrThrow();
    expect(text).toBe(
      `:warning: Vote ${poll.id} is saved, but I can't post it in <#C_EXEC>: the bot is not in the channel. Invite the bot: in <#C_EXEC>, type \`/invite @sopbot\`; then type \`/sop vote\` again to post it.`,
    );
    expect(poll.message_ts).toBeNull();
    expect(standin.messagesIn(`D_${PAT}`)).toEqual([]);
    expect(standin.messagesIn('C_SUPPLY')).toEqual([]);
  });

  it('/sop vote again, once the bot is invited: the same vote is posted in the executive channel', async () => {
    const text = await say('vote', 'C_SUPPLY');
    const polls = await db.selectFrom('polls').select(['id', 'channel_id', 'message_ts']).execute();
    expect(polls).toHaveLength(1);
    expect(text).toMatch(new RegExp(`^Vote ${polls[0]!.id} is open in <#C_EXEC> with 3 scenarios`));
    expect(polls[0]!.channel_id).toBe('C_EXEC');
    expect(standin.messagesIn('C_EXEC')).toHaveLength(1);
  });

  it('/sop pack post: the planner is told the pack was not posted, why, and what to do', async () => {
    standin.failNext('chat.postMessage', { error: 'is_archived', channel: 'C_EXEC' });
    const text = await say('pack post', 'C_SUPPLY');
    expect(text).toBe(
      ':warning: The pack was not posted in <#C_EXEC>: the channel is archived. Unarchive <#C_EXEC>, or set another channel with `/sop settings channels exec #channel`; then `/sop pack post` again.',
    );
    expect(standin.messagesIn('C_EXEC')).toHaveLength(1); // the vote only
    expect(standin.messagesIn(`D_${PAT}`)).toEqual([]);
  });
});
