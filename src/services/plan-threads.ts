/**
 * The cycle's plans threads: in each channel a plan run posts to, one message per cycle
 * ("Plans for S&OP 2027-03"), posted once through the ledger (`cycle:<id>:plans:<role>`) and
 * then edited in place to show the cycle's latest run. Each run's headline and charts are
 * replies in that thread (the post-charts job), so a recompute shows in the channel as one
 * edit, and a run of `/sop plan` typed in the executive channel lands in the same thread
 * (commands/sop-plan.ts).
 *
 * The message is text only: chat.update keeps the blocks a message had when it is given none,
 * so a message that never had blocks is drawn by its text alone on every edit. Creating and
 * editing it happen under an advisory lock on its key, with the check that the run is still
 * the cycle's latest, so two chart jobs make one message and an older run's job (a retry)
 * never draws over a newer run.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { lockKey } from '../../db/queries/adjustments.js';
import { latestRun } from '../../db/queries/plan-runs.js';
import { ledgerEntry, upsertMessage } from '../slack/post-ledger.js';
import { plansThreadPlaceholder } from '../slack/presenters/plan-run.js';
import type { ChannelRole } from './run-charts.js';

/** The ledger key of the cycle's plans thread in the channel of `role`. */
export const plansThreadKey = (cycleId: number, role: ChannelRole): string =>
  `cycle:${cycleId}:plans:${role}`;

/**
 * The ts of the cycle's plans thread in `channel` (the channel of `role`); posted now, with no
 * run shown yet, when there is none there.
 */
export async function openPlansThread(
  db: Db,
  slack: WebClient,
  cycle: { readonly id: number; readonly month: string },
  role: ChannelRole,
  channel: string,
): Promise<string> {
  const key = plansThreadKey(cycle.id, role);
  return db.transaction().execute(async (trx) => {
    await lockKey(trx, `post:${key}`);
    const row = await ledgerEntry(trx, key);
    if (row?.ts && row.channel === channel) return row.ts;
    const out = await upsertMessage(trx, slack, {
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
export async function showRunOnThread(
  db: Db,
  slack: WebClient,
  p: {
    readonly cycleId: number;
    readonly role: ChannelRole;
    readonly channel: string;
    readonly runId: string;
    readonly text: string;
    readonly logger?: { warn(obj: object, msg: string): void };
  },
): Promise<string> {
  const key = plansThreadKey(p.cycleId, p.role);
  return db.transaction().execute(async (trx) => {
    await lockKey(trx, `post:${key}`);
    const row = await ledgerEntry(trx, key);
    const latest = await latestRun(trx, p.cycleId);
    const newest = !latest || BigInt(latest.id) <= BigInt(p.runId);
    if (row?.ts && row.channel === p.channel && !newest) return row.ts;
    const out = await upsertMessage(trx, slack, {
      key,
      channel: p.channel,
      text: p.text,
      ...(p.logger ? { logger: p.logger } : {}),
    });
    return out.ts;
  });
}
