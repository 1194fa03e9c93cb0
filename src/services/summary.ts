/**
 * After a change is stored: ask for a consensus recompute, and keep ONE tidy summary message
 * per cycle in the demand (or supply) channel — created once, then edited in place — with
 * each submission as a short threaded reply. Creation is serialised by an advisory lock on
 * the ledger key, so two simultaneous first submissions make one message.
 */
import type { webApi } from '@slack/bolt';
import { adjustmentActivity, lockKey } from '../../db/queries/adjustments.js';
import { capacityActivity } from '../../db/queries/capacity.js';
import { getPost, recordPost } from '../../db/queries/slack-posts.js';
import type { AppDeps } from '../deps.js';
import {
  type ChangeSubject,
  demandSummaryBlocks,
  supplySummaryBlocks,
  threadNote,
} from '../slack/presenters/change.js';
import type { ChangeOutcome } from './adjustments.js';
import { getSettings } from './settings.js';

export const summaryPostKey = (cycleId: number, subject: ChangeSubject): string =>
  `cycle:${cycleId}:${subject === 'forecast' ? 'demand' : 'supply'}-summary`;

/** Create or edit the cycle's summary, then add `note` in its thread. Returns the summary ts. */
export async function refreshSummary(
  deps: AppDeps,
  client: webApi.WebClient,
  subject: ChangeSubject,
  cycle: { readonly id: number; readonly month: string },
  note: string | null,
): Promise<{ channel: string; ts: string } | null> {
  const settings = await getSettings(deps.db);
  const channel = subject === 'forecast' ? settings.demand_channel : settings.supply_channel;
  if (!channel) {
    deps.logger.info(
      { cycleId: cycle.id, subject },
      `no ${subject === 'forecast' ? 'demand' : 'supply'} channel set (/sop settings channels): summary not posted`,
    );
    return null;
  }
  const key = summaryPostKey(cycle.id, subject);
  return deps.db.transaction().execute(async (trx) => {
    await lockKey(trx, `post:${key}`);
    const blocks =
      subject === 'forecast'
        ? demandSummaryBlocks(cycle.month, await adjustmentActivity(trx, cycle.id))
        : supplySummaryBlocks(cycle.month, await capacityActivity(trx, cycle.id));
    const text =
      subject === 'forecast'
        ? `Demand review ${cycle.month}: forecast adjustments`
        : `Supply review ${cycle.month}: capacity updates`;
    const existing = await getPost(trx, key);
    let ts: string;
    if (existing?.ts && existing.channel === channel) {
      await client.chat.update({ channel, ts: existing.ts, text, blocks });
      ts = existing.ts;
    } else {
      const posted = await client.chat.postMessage({ channel, text, blocks });
      if (!posted.ts) throw new Error('chat.postMessage returned no ts');
      ts = posted.ts;
      await recordPost(trx, key, { channel, ts });
    }
    if (note) await client.chat.postMessage({ channel, thread_ts: ts, text: note });
    return { channel, ts };
  });
}

/** Thread notes waiting for the summary refresh in progress, per deps (each bot) and post key. */
const pendingByDeps = new WeakMap<AppDeps, Map<string, { notes: string[]; run: Promise<void> }>>();

/** Notes per threaded reply when a burst of submissions is batched. */
const NOTES_PER_REPLY = 20;

/**
 * Refresh the summary and post `note` in its thread. While a refresh of the same summary is
 * running, later notes wait and go out together in the next one: one edit and one reply
 * for a burst, instead of one each per submission (Slack allows ~1 post/s per channel).
 */
export function queueSummary(
  deps: AppDeps,
  client: webApi.WebClient,
  subject: ChangeSubject,
  cycle: { readonly id: number; readonly month: string },
  note: string,
): Promise<void> {
  let pending = pendingByDeps.get(deps);
  if (!pending) {
    pending = new Map();
    pendingByDeps.set(deps, pending);
  }
  const key = summaryPostKey(cycle.id, subject);
  const current = pending.get(key);
  if (current) {
    current.notes.push(note);
    return current.run;
  }
  const entry = { notes: [note], run: Promise.resolve() };
  const map = pending;
  entry.run = (async () => {
    try {
      while (entry.notes.length > 0) {
        const batch = entry.notes.splice(0, NOTES_PER_REPLY);
        await refreshSummary(deps, client, subject, cycle, batch.join('\n'));
      }
    } finally {
      map.delete(key);
    }
  })();
  pending.set(key, entry);
  return entry.run;
}

/** Follow-ups of a stored change (nothing for a replay): recompute, then the channel summary. */
export async function afterChange(
  deps: AppDeps,
  client: webApi.WebClient,
  subject: ChangeSubject,
  outcome: ChangeOutcome,
): Promise<void> {
  if (outcome.replay) return;
  try {
    await deps.queue.enqueue(
      'recompute',
      { cycleId: outcome.cycle.id, reason: 'submission', requestedBy: outcome.author },
      { debounceMs: deps.config.SOPBOT_RECOMPUTE_DEBOUNCE_MS },
    );
  } catch (err) {
    deps.logger.error({ err, cycleId: outcome.cycle.id }, 'could not request a recompute');
  }
  try {
    await queueSummary(deps, client, subject, outcome.cycle, threadNote(outcome));
  } catch (err) {
    deps.logger.error({ err, cycleId: outcome.cycle.id }, 'could not update the channel summary');
  }
}
