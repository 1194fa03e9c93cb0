/**
 * What Slack refused to deliver for good (`slack_refusals`), by conversation (a channel id,
 * or the user id of a DM) and ledger key, while unresolved. src/services/undelivered.ts
 * records them and tells the admins; the post ledger resolves a conversation's rows when a
 * later post there goes through, and users.info finding a person live before a DM resolves
 * those sopbot did not send them as deactivated (src/services/slack-person.ts).
 */
import { sql } from 'kysely';
import type { Db } from '../connect.js';

export interface RefusalToRecord {
  readonly conversation: string;
  readonly postKey: string;
  readonly reason: string;
}

/**
 * Records each refusal at `at`: a key already refused in its conversation (and unresolved)
 * keeps its first time and takes the latest reason.
 */
export async function recordRefusals(
  db: Db,
  refusals: readonly RefusalToRecord[],
  at: Date,
): Promise<void> {
  if (refusals.length === 0) return;
  await db
    .insertInto('slack_refusals')
    .values(
      refusals.map((r) => ({
        conversation: r.conversation,
        post_key: r.postKey,
        reason: r.reason,
        first_refused_at: at,
        last_refused_at: at,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['conversation', 'post_key'])
        .where('resolved_at', 'is', null)
        .doUpdateSet((eb) => ({
          reason: eb.ref('excluded.reason'),
          last_refused_at: eb.ref('excluded.last_refused_at'),
        })),
    )
    .execute();
}

/**
 * Resolves what was refused in `channel` (a channel id, or a DM channel whose person's
 * refusals are kept under their user id): a post there just went through.
 */
export async function resolveRefusals(db: Db, channel: string): Promise<void> {
  await db
    .updateTable('slack_refusals')
    .set({ resolved_at: sql`now()` })
    .where('resolved_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('conversation', '=', channel),
        eb(
          'conversation',
          'in',
          eb
            .selectFrom('slack_dm_channels')
            .select('slack_user_id')
            .where('channel_id', '=', channel),
        ),
      ]),
    )
    .execute();
}

/**
 * Resolves every refused DM to `person` (their refusals are kept under their user id): when
 * nothing is sent to them any more, what Slack refused them asks nothing of anyone. Returns
 * how many.
 */
export async function resolvePersonRefusals(db: Db, person: string): Promise<number> {
  const res = await db
    .updateTable('slack_refusals')
    .set({ resolved_at: sql`now()` })
    .where('resolved_at', 'is', null)
    .where('conversation', '=', person)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Resolves the DMs to `person` sopbot did not send because users.info said their account was
 * deactivated (reason `deactivated`): users.info now says they are a live person (reactivated).
 * Slack's own refusals stay until a DM goes through. Returns how many.
 */
export async function resolveDeactivatedRefusals(db: Db, person: string): Promise<number> {
  const res = await db
    .updateTable('slack_refusals')
    .set({ resolved_at: sql`now()` })
    .where('resolved_at', 'is', null)
    .where('conversation', '=', person)
    .where('reason', '=', 'deactivated')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export interface UnresolvedRefusal {
  readonly conversation: string;
  readonly postKey: string;
  readonly reason: string;
  readonly firstRefusedAt: Date;
}

/**
 * The unresolved refusals, oldest first; of one conversation (and reason) when given.
 */
export async function unresolvedRefusals(
  db: Db,
  where: { readonly conversation?: string; readonly reason?: string } = {},
): Promise<UnresolvedRefusal[]> {
  let q = db
    .selectFrom('slack_refusals')
    .select(['conversation', 'post_key', 'reason', 'first_refused_at'])
    .where('resolved_at', 'is', null);
  if (where.conversation !== undefined) q = q.where('conversation', '=', where.conversation);
  if (where.reason !== undefined) q = q.where('reason', '=', where.reason);
  const rows = await q.orderBy('first_refused_at').orderBy('id').execute();
  return rows.map((r) => ({
    conversation: r.conversation,
    postKey: r.post_key,
    reason: r.reason,
    firstRefusedAt: r.first_refused_at,
  }));
}

/**
 * The month of each cycle and of each vote's cycle named, as `cycle:<id>` and `poll:<id>`
 * (what describes a refused post: "the pack of cycle 2027-03").
 */
export async function monthsOf(
  db: Db,
  ids: { readonly cycles: readonly number[]; readonly polls: readonly string[] },
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.cycles.length > 0) {
    const rows = await db
      .selectFrom('cycles')
      .select(['id', 'month'])
      .where('id', 'in', [...ids.cycles])
      .execute();
    for (const r of rows) out.set(`cycle:${r.id}`, r.month);
  }
  if (ids.polls.length > 0) {
    const rows = await db
      .selectFrom('polls')
      .innerJoin('cycles', 'cycles.id', 'polls.cycle_id')
      .select(['polls.id', 'cycles.month'])
      .where('polls.id', 'in', [...ids.polls])
      .execute();
    for (const r of rows) out.set(`poll:${r.id}`, r.month);
  }
  return out;
}

/**
 * Resolves what Slack refused to `person` about action `actionId` once it is no longer
 * theirs: the DMs about it (`action:<id>:…`), its reminders (`reminder:<id>:…`), and their
 * reminder digests whose actions none is still an open action of theirs. Their other refused
 * DMs (a nudge, a digest that lists an action they still own) stay. Returns how many.
 */
export async function resolveActionRefusals(
  db: Db,
  person: string,
  actionId: string,
): Promise<number> {
  const res = await db
    .updateTable('slack_refusals')
    .set({ resolved_at: sql`now()` })
    .where('resolved_at', 'is', null)
    .where('conversation', '=', person)
    .where((eb) =>
      eb.or([
        eb(sql<boolean>`starts_with(post_key, ${`action:${actionId}:`})`, '=', true),
        eb(sql<boolean>`starts_with(post_key, ${`reminder:${actionId}:`})`, '=', true),
        eb.and([
          eb(sql<boolean>`starts_with(post_key, ${`reminder-digest:${person}:`})`, '=', true),
          eb.exists(
            eb
              .selectFrom('reminder_digest_items as i')
              .select('i.action_id')
              .whereRef('i.digest_key', '=', 'slack_refusals.post_key'),
          ),
          eb.not(
            eb.exists(
              eb
                .selectFrom('reminder_digest_items as i')
                .innerJoin('actions as a', 'a.id', 'i.action_id')
                .select('i.action_id')
                .whereRef('i.digest_key', '=', 'slack_refusals.post_key')
                .where('a.owner', '=', person)
                .where('a.status', '=', 'open'),
            ),
          ),
        ]),
      ]),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Slack's refusals of a DM that say the person has left: their account deactivated, or gone
 * from the workspace (the words in src/slack/presenters/undelivered.ts); and the DMs sopbot did
 * not send because `users.info` says the account is deactivated.
 */
export const LEFT_REASONS: readonly string[] = [
  'account_inactive',
  'user_disabled',
  'user_not_found',
  // sopbot's own (DEACTIVATED, src/slack/post-ledger.ts): users.info says deactivated.
  'deactivated',
];

/**
 * Of `people`, those Slack refuses DMs to because they left (LEFT_REASONS, unresolved: a later
 * DM that goes through, their role taken away with no action left, or, for `deactivated`,
 * users.info finding them live again, resolves it), each with
 * Slack's latest reason. Read from what sopbot already sent, so it asks Slack nothing.
 */
export async function peopleWhoLeft(
  db: Db,
  people: readonly string[],
): Promise<Map<string, string>> {
  if (people.length === 0) return new Map();
  const rows = await db
    .selectFrom('slack_refusals')
    .select(['conversation', 'reason'])
    .where('resolved_at', 'is', null)
    .where('conversation', 'in', [...new Set(people)])
    .where('reason', 'in', [...LEFT_REASONS])
    .orderBy('last_refused_at')
    .orderBy('id')
    .execute();
  // The latest refusal's reason comes last, and wins.
  return new Map(rows.map((r) => [r.conversation, r.reason]));
}
