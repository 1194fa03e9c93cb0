/**
 * The cycle's plans threads: in each channel a plan run posts to, one message per cycle
 * ("Plans for S&OP 2027-03"), posted once through the ledger (`cycle:<id>:plans:<channel>`)
 * and then edited in place to show the cycle's latest run. Each run's headline and charts are
 * replies in that thread (the post-charts job), so a recompute shows in the channel as one
 * edit, and a run of `/sop plan` typed in the executive channel lands in the same thread
 * (commands/sop-plan.ts). The key names the Slack channel, not a role: a channel that is both
 * the demand and the supply channel has one thread whichever charts a run has.
 *
 * The message is text only: chat.update keeps the blocks a message had when it is given none,
 * so a message that never had blocks is drawn by its text alone on every edit. Creating and
 * editing it happen under a session lock on its key (`withSessionLock`), with the check that
 * the run is still the cycle's latest, so two chart jobs make one message and an older run's
 * job (a retry) never draws over a newer run. No transaction is open around the Slack call:
 * the ledger's claim is kept the moment it is made, so when Slack's answer is lost the next
 * attempt finds the message by its metadata (src/slack/post-ledger.ts) instead of posting a
 * second one.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { withSessionLock } from '../../db/queries/adjustments.js';
import { latestRun } from '../../db/queries/plan-runs.js';
import { ledgerEntry, upsertMessage } from '../slack/post-ledger.js';
import { plansThreadPlaceholder } from '../slack/presenters/plan-run.js';

/** The ledger key of the cycle's plans thread in `channel` (a conversation id). */
export const plansThreadKey = (cycleId: number, channel: string): string =>
  `cycle:${cycleId}:plans:${channel}`;

/**
 * The keys of a cycle's plans threads before they were keyed by channel: by the first role of
 * exec, supply, demand that the run posted to in the channel.
 */
const legacyKeys = (cycleId: number): string[] =>
  ['exec', 'supply', 'demand'].map((role) => `cycle:${cycleId}:plans:${role}`);

/**
 * The key the cycle's plans thread in `channel` is recorded under: its own, or, for a cycle
 * whose thread was posted before the keys named channels, the older key of a message posted in
 * that channel (the most recently edited, should there be two), so the thread goes on there.
 */
async function threadKeyIn(db: Db, cycleId: number, channel: string): Promise<string> {
  const key = plansThreadKey(cycleId, channel);
  if (await ledgerEntry(db, key)) return key;
  let found: { key: string; at: number } | null = null;
  for (const old of legacyKeys(cycleId)) {
    const row = await ledgerEntry(db, old);
    if (row?.ts && row.channel === channel && (!found || row.updatedAt.getTime() > found.at))
      found = { key: old, at: row.updatedAt.getTime() };
  }
  return found?.key ?? key;
}

/** Runs `fn` with the thread's key under its lock, on the lock's connection. */
function underThreadLock<T>(
  db: Db,
  cycleId: number,
  channel: string,
  fn: (conn: Db, key: string) => Promise<T>,
): Promise<T> {
  // Every statement on the lock's connection commits at once (no transaction is open), as the
  // ledger's claims must; and the holder never waits for a second connection of the pool.
  return withSessionLock(db, `post:${plansThreadKey(cycleId, channel)}`, async (conn) =>
    fn(conn, await threadKeyIn(conn, cycleId, channel)),
  );
}

/**
 * The ts of the cycle's plans thread in `channel`; posted now, with no run shown yet, when
 * there is none there.
 */
export function openPlansThread(
  db: Db,
  slack: WebClient,
  cycle: { readonly id: number; readonly month: string },
  channel: string,
): Promise<string> {
  return underThreadLock(db, cycle.id, channel, async (conn, key) => {
    const row = await ledgerEntry(conn, key);
    if (row?.ts && row.channel === channel) return row.ts;
    const out = await upsertMessage(conn, slack, {
      key,
      channel,
      text: plansThreadPlaceholder(cycle.month),
    });
    return out.ts;
  });
}

/**
 * The ts of the cycle's plans thread in `channel`, drawn as `text` (run `runId`) when that run
 * is the cycle's latest or the thread has no message yet; an older run leaves it as it is.
 */
export function showRunOnThread(
  db: Db,
  slack: WebClient,
  p: {
    readonly cycleId: number;
    readonly channel: string;
    readonly runId: string;
    readonly text: string;
    readonly logger?: { warn(obj: object, msg: string): void };
  },
): Promise<string> {
  return underThreadLock(db, p.cycleId, p.channel, async (conn, key) => {
    const row = await ledgerEntry(conn, key);
    const latest = await latestRun(conn, p.cycleId);
    const newest = !latest || BigInt(latest.id) <= BigInt(p.runId);
    if (row?.ts && row.channel === p.channel && !newest) return row.ts;
    const out = await upsertMessage(conn, slack, {
      key,
      channel: p.channel,
      text: p.text,
      ...(p.logger ? { logger: p.logger } : {}),
    });
    return out.ts;
  });
}
