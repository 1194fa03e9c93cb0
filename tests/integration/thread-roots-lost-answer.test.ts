/**
 * A message kept up to date in a channel (the cycle's plans thread, the demand summary) whose
 * first post reached Slack but whose answer was lost (the client gave up waiting): the next
 * attempt finds that message through the ledger's claim and its metadata, and does not post a
 * second one; a submission made meanwhile keeps its note for the summary's thread. Real Postgres and the stand-in, which takes the post at once and holds its
 * answer (`delayNext`) past the client's timeout.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppDeps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { openPlansThread, plansThreadKey } from '../../src/services/plan-threads.js';
import { updateSettings } from '../../src/services/settings.js';
import {
  queueSummary,
  refreshSummary,
  type SummaryNote,
  summaryPostKey,
} from '../../src/services/summary.js';
import { STALE_CLAIM_MS } from '../../src/slack/post-ledger.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false, tierLimits: false });
const TOKEN = 'xoxb-test-token';
/** A note naming nobody. */
const plainNote = (text: string): SummaryNote => ({ people: [], draw: () => text });
/** Gives up on a call after half a second, as the worker's client does after its timeout. */
let impatient: WebClient;
let client: WebClient;
let cycle = { id: 0, month: '2027-03' };

beforeAll(async () => {
  const opts = {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  };
  impatient = new WebClient(TOKEN, { ...opts, timeout: 500 });
  client = new WebClient(TOKEN, opts);
  cycle = {
    id: await insertCycle(t.db, { month: '2027-03', phase: 'demand_review', opened_by: 'U_ALICE' }),
    month: '2027-03',
  };
  await updateSettings(t.db, {
    demand_channel: 'C_DEMAND',
    supply_channel: 'C_SUPPLY',
    exec_channel: 'C_EXEC',
  });
});

/** The messages in `channel` posted under ledger key `key` (its metadata says so). */
const carrying = (channel: string, key: string) =>
  standin.store.messages.filter(
    (m) =>
      m.channel === channel &&
      !m.deleted &&
      (m.metadata?.event_payload as { post_key?: string } | undefined)?.post_key === key,
  );

/** Makes the key's claim `ms` old, as a claim whose holder gave up long ago. */
async function age(key: string, ms = 2 * STALE_CLAIM_MS): Promise<void> {
  await t.db
    .updateTable('slack_posts')
    .set({
      created_at: sql`now() - make_interval(secs => ${ms / 1000})`,
      updated_at: sql`now() - make_interval(secs => ${ms / 1000})`,
    })
    .where('post_key', '=', key)
    .execute();
}

describe("a thread's message whose post was answered too late", () => {
  it('the plans thread: the claim outlives the failed attempt, and the next one finds the message', async () => {
    const key = plansThreadKey(cycle.id, 'C_EXEC');
    standin.delayNext('chat.postMessage', { ms: 3000, channel: 'C_EXEC' });
    await expect(openPlansThread(t.db, impatient, cycle, 'C_EXEC')).rejects.toThrow();
    // Slack has the message; the ledger has the claim, without a ts (the answer was lost).
    expect(carrying('C_EXEC', key)).toHaveLength(1);
    const claim = await t.db
      .selectFrom('slack_posts')
      .select('ts')
      .where('post_key', '=', key)
      .executeTakeFirst();
    expect(claim).toEqual({ ts: null });
    await age(key);
    const ts = await openPlansThread(t.db, client, cycle, 'C_EXEC');
    expect(carrying('C_EXEC', key).map((m) => m.ts)).toEqual([ts]);
    expect(standin.messagesIn('C_EXEC')).toHaveLength(1);
  });

  it("the demand channel's summary: one message, though its first post's answer was lost", async () => {
    const key = summaryPostKey(cycle.id, 'forecast');
    const deps = { db: t.db, logger: createLogger('silent') };
    standin.delayNext('chat.postMessage', { ms: 3000, channel: 'C_DEMAND' });
    await expect(refreshSummary(deps, impatient, 'forecast', cycle, [])).rejects.toThrow();
    expect(carrying('C_DEMAND', key)).toHaveLength(1);
    await age(key);
    const out = await refreshSummary(deps, client, 'forecast', cycle, []);
    expect(carrying('C_DEMAND', key).map((m) => m.ts)).toEqual([out?.ts]);
    expect(standin.messagesIn('C_DEMAND')).toHaveLength(1);
  });
  it("the supply channel's summary: a submission while the lost post's claim is fresh keeps its note", async () => {
    const key = summaryPostKey(cycle.id, 'capacity');
    const logger = createLogger('silent');
    const warn = vi.spyOn(logger, 'warn');
    const deps = { db: t.db, logger } as unknown as AppDeps;
    standin.delayNext('chat.postMessage', { ms: 3000, channel: 'C_SUPPLY' });
    // The first submission's post reaches Slack, its answer does not: its claim stays fresh.
    await expect(
      queueSummary(deps, impatient, 'capacity', cycle, plainNote('first note')),
    ).rejects.toThrow();
    expect(carrying('C_SUPPLY', key)).toHaveLength(1);
    // A second submission within the minute finds the claim in flight, and waits…
    const second = queueSummary(deps, client, 'capacity', cycle, plainNote('second note'));
    second.catch(() => undefined); // awaited below; a failure is not left unhandled meanwhile
    await standin.waitFor(() => warn.mock.calls.length > 0, 20_000);
    // …until the claim is stale (here: made so), when the message is found by its metadata.
    await age(key);
    await second;
    const [summary] = carrying('C_SUPPLY', key);
    expect(standin.messagesIn('C_SUPPLY')).toHaveLength(1);
    expect(standin.threadReplies('C_SUPPLY', summary!.ts).map((m) => m.text)).toEqual([
      'second note',
    ]);
  }, 60_000);
});
