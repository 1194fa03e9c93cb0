/**
 * After a change is stored: ask for a consensus recompute, and keep ONE tidy summary message
 * per cycle in the demand (or supply) channel — created once, then edited in place — with
 * each submission as a short threaded reply. Creation is serialised by a session lock on the
 * ledger key, so two simultaneous first submissions make one message. A reply names who did
 * what in plain text (their Slack names, read for the whole reply at once): it records what
 * they did and asks nothing of them, so it pings nobody.
 */

import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import {
  adjustmentActivity,
  noChangeActivity,
  withSessionLock,
} from '../../db/queries/adjustments.js';
import { capacityActivity } from '../../db/queries/capacity.js';
import type { AppDeps } from '../deps.js';
import {
  PostInFlightError,
  postMessageOnce,
  retryAfterOf,
  STALE_CLAIM_MS,
  upsertMessage,
} from '../slack/post-ledger.js';
import {
  type ChangeSubject,
  demandSummaryBlocks,
  demandSummaryText,
  noChangeNote,
  supplySummaryBlocks,
  supplySummaryText,
  threadNote,
} from '../slack/presenters/change.js';
import type { ChangeOutcome } from './adjustments.js';
import { deliverJobs } from './outbox.js';
import { getSettings } from './settings.js';
import { userNamesFor } from './user-names.js';

/**
 * A note for the summary's thread: the people it names (Slack user ids) and its line, drawn
 * once their names are read, with those of the other notes of its reply.
 */
export interface SummaryNote {
  readonly people: readonly string[];
  readonly draw: (nameOf: (userId: string) => string) => string;
}

export const summaryPostKey = (cycleId: number, subject: ChangeSubject): string =>
  `cycle:${cycleId}:${subject === 'forecast' ? 'demand' : 'supply'}-summary`;

type Trx = Parameters<typeof adjustmentActivity>[0];
type CycleRef = { readonly id: number; readonly month: string };

/** The demand channel's summary of `cycle`: its blocks and the text drawn from the same data. */
async function demandSummary(trx: Trx, cycle: CycleRef) {
  const activity = await adjustmentActivity(trx, cycle.id);
  const declared = await noChangeActivity(trx, cycle.id);
  return {
    text: demandSummaryText(cycle.month, activity, declared),
    blocks: demandSummaryBlocks(cycle.month, activity, declared),
  };
}

/** The supply channel's summary of `cycle`: its blocks and the text drawn from the same data. */
async function supplySummary(trx: Trx, cycle: CycleRef) {
  const activity = await capacityActivity(trx, cycle.id);
  return {
    text: supplySummaryText(cycle.month, activity),
    blocks: supplySummaryBlocks(cycle.month, activity),
  };
}

/**
 * Create or edit the cycle's summary, then add `notes` in its thread, as one reply. Returns the
 * summary ts. The people the notes name are read in one go before anything is posted; one
 * Slack cannot name (a 429, a timeout, someone it does not know) is shown by the id, and
 * logged, as in a command's answer: the notes are not held up for a name.
 */
export async function refreshSummary(
  deps: Pick<AppDeps, 'db' | 'logger'>,
  client: webApi.WebClient,
  subject: ChangeSubject,
  cycle: { readonly id: number; readonly month: string },
  notes: readonly SummaryNote[],
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
  const nameOf = notes.length
    ? await userNamesFor(deps.db, client, deps.logger).names(notes.flatMap((n) => n.people))
    : (id: string) => id;
  // Keyed by the notes drawn with mentions (the key they had before names were read): a name
  // read at a later try, Slack answering that time, is still the same reply, not posted twice.
  const noteKey = notes.length
    ? `${key}:note:${createHash('sha256')
        .update(batchNote(notes.map((n) => n.draw((id) => `<@${id}>`))))
        .digest('hex')
        .slice(0, 32)}`
    : null;
  const note = notes.length ? batchNote(notes.map((n) => n.draw(nameOf))) : null;
  // Under a session lock, with no transaction around the Slack calls: the ledger's claim is
  // kept the moment it is made, so a post whose answer was lost is found by its metadata on the
  // next attempt instead of being posted twice. Every statement on the lock's connection
  // commits at once, and the holder never waits for a second connection of the pool.
  return withSessionLock(deps.db, `post:${key}`, async (conn) => {
    // The text (notifications, the channel list, screen readers) is drawn with the blocks.
    const { text, blocks } =
      subject === 'forecast' ? await demandSummary(conn, cycle) : await supplySummary(conn, cycle);
    const { ts } = await upsertMessage(conn, client, { key, channel, text, blocks });
    // Each batch of notes once (its text names the changes and their before → after).
    if (note && noteKey)
      await postMessageOnce(conn, client, {
        key: noteKey,
        channel,
        threadTs: ts,
        text: note,
      });
    return { channel, ts };
  });
}

/** Per deps (each running bot) and post key: the notes waiting, and when it was last refreshed. */
interface SummaryQueue {
  readonly pending: Map<string, { notes: SummaryNote[]; run: Promise<void> }>;
  readonly lastAt: Map<string, number>;
}
const queuesByDeps = new WeakMap<AppDeps, SummaryQueue>();

/** Slack allows about one post per second per channel: refresh a summary at most this often. */
export const SUMMARY_MIN_INTERVAL_MS = 1000;
/** How many 429s in a row a summary waits out before its notes are given up (and logged). */
export const SUMMARY_RATE_LIMIT_TRIES = 5;
/**
 * A summary whose post is in flight (PostInFlightError: a post whose answer was lost keeps its
 * claim until STALE_CLAIM_MS, then the message is found by its metadata) is tried again this
 * often, since the post may be recorded sooner, its notes kept, for at most
 * SUMMARY_IN_FLIGHT_MAX_MS in all.
 */
export const SUMMARY_IN_FLIGHT_STEP_MS = 5000;
export const SUMMARY_IN_FLIGHT_MAX_MS = 2 * STALE_CLAIM_MS;
/** Notes shown in one threaded reply; the rest of a burst is counted. */
export const NOTES_PER_REPLY = 20;

/** The threaded reply for a batch of notes: the first ones, then how many more. */
export function batchNote(notes: readonly string[]): string {
  const shown = notes.slice(0, NOTES_PER_REPLY);
  const more = notes.length - shown.length;
  return more > 0
    ? `${shown.join('\n')}\n…and ${more} more submission${more === 1 ? '' : 's'} (counted in the summary above).`
    : shown.join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Refresh the summary and post `note` in its thread. While a refresh of the same summary is
 * running or too recent, later notes wait and go out together: under a burst of submissions
 * the channel gets one edit and one reply per second, not one each per submission.
 */
export function queueSummary(
  deps: AppDeps,
  client: webApi.WebClient,
  subject: ChangeSubject,
  cycle: { readonly id: number; readonly month: string },
  note: SummaryNote,
): Promise<void> {
  let q = queuesByDeps.get(deps);
  if (!q) {
    q = { pending: new Map(), lastAt: new Map() };
    queuesByDeps.set(deps, q);
  }
  const key = summaryPostKey(cycle.id, subject);
  const current = q.pending.get(key);
  if (current) {
    current.notes.push(note);
    return current.run;
  }
  const entry = { notes: [note], run: Promise.resolve() };
  const queue = q;
  entry.run = (async () => {
    let limited = 0;
    /** When the summary's post was first found in flight (null: it was not, or is no longer). */
    let inFlightSince: number | null = null;
    try {
      while (entry.notes.length > 0) {
        const wait = (queue.lastAt.get(key) ?? 0) + SUMMARY_MIN_INTERVAL_MS - Date.now();
        if (wait > 0) await sleep(wait);
        const batch = entry.notes.splice(0);
        queue.lastAt.set(key, Date.now());
        try {
          await refreshSummary(deps, client, subject, cycle, batch);
          limited = 0;
          inFlightSince = null;
        } catch (err) {
          if (err instanceof PostInFlightError) {
            // The summary (or a note) is being posted, or was and its answer was lost: the
            // ledger finds it once its claim is recorded or stale. Its notes wait for that.
            const now = Date.now();
            inFlightSince ??= now;
            if (now - inFlightSince >= SUMMARY_IN_FLIGHT_MAX_MS) throw err;
            entry.notes.unshift(...batch);
            deps.logger.warn(
              { key, inFlight: err.key, retryAfterMs: err.retryAfterMs },
              'the channel summary is being posted: its notes wait and it tries again',
            );
            await sleep(Math.min(err.retryAfterMs, SUMMARY_IN_FLIGHT_STEP_MS));
            continue;
          }
          // The bot's client fails a 429 at once (someone waits on its other calls); nobody
          // waits on this one, so it waits the time Slack asks and goes again, its notes first.
          const retryAfter = retryAfterOf(err);
          if (retryAfter === null || ++limited > SUMMARY_RATE_LIMIT_TRIES) throw err;
          entry.notes.unshift(...batch);
          deps.logger.warn(
            { key, retryAfter },
            'Slack rate-limited the channel summary: it waits and tries again',
          );
          await sleep(retryAfter * 1000);
        }
      }
    } finally {
      queue.pending.delete(key);
    }
  })();
  q.pending.set(key, entry);
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
  // The recompute was recorded with the change; hand it to the queue now. If the queue is
  // down it waits in the outbox, and the relay delivers it once the queue is back.
  try {
    const d = await deliverJobs(deps.db, deps.queue, { ids: outcome.jobRequests ?? [] });
    if (d.pending > 0)
      deps.logger.info(
        { cycleId: outcome.cycle.id, reason: d.error?.message },
        'job queue unavailable: the recompute waits in the outbox',
      );
  } catch (err) {
    deps.logger.error({ err, cycleId: outcome.cycle.id }, 'could not hand the recompute over');
  }
  try {
    await queueSummary(deps, client, subject, outcome.cycle, {
      people: [outcome.author],
      draw: (nameOf) => threadNote(outcome, nameOf),
    });
  } catch (err) {
    deps.logger.error({ err, cycleId: outcome.cycle.id }, 'could not update the channel summary');
  }
}

/**
 * After a rep's "no change" declaration: the demand summary counts it, and its thread says so.
 * Nothing when it added nothing (declared already: a second click, Slack's retry).
 */
export async function afterNoChange(
  deps: AppDeps,
  client: webApi.WebClient,
  declared: {
    readonly cycle: { readonly id: number; readonly month: string };
    readonly author: string;
    readonly families: readonly string[];
    readonly added: number;
  },
): Promise<void> {
  if (declared.added === 0) return;
  try {
    await queueSummary(deps, client, 'forecast', declared.cycle, {
      people: [declared.author],
      draw: (nameOf) => noChangeNote(declared.author, declared.families, nameOf),
    });
  } catch (err) {
    deps.logger.error({ err, cycleId: declared.cycle.id }, 'could not update the channel summary');
  }
}
