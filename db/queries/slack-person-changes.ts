/**
 * What Slack's `user_change` last said of a person sopbot knows (`slack_person_changes`),
 * shared by the bot and the workers: src/services/user-change.ts writes it, slackPersonLately
 * (src/services/slack-person.ts) reads when the account last changed before trusting a live
 * answer it remembers, and the `user-left` job tells the admins once per deactivation.
 */
import { sql } from 'kysely';
import type { Db } from '../connect.js';

export interface PersonChange {
  readonly changedAt: Date;
  /** Since when the account is deactivated; null while live. */
  readonly deactivatedAt: Date | null;
  /** When the admins were told of this deactivation; null until then. */
  readonly leftNotifiedAt: Date | null;
}

/** The person's row, if a `user_change` about them was ever recorded (one primary-key read). */
export async function personChange(db: Db, user: string): Promise<PersonChange | undefined> {
  const row = await db
    .selectFrom('slack_person_changes')
    .select(['changed_at', 'deactivated_at', 'left_notified_at'])
    .where('slack_user_id', '=', user)
    .executeTakeFirst();
  return row
    ? {
        changedAt: row.changed_at,
        deactivatedAt: row.deactivated_at,
        leftNotifiedAt: row.left_notified_at,
      }
    : undefined;
}

export interface PersonStanding {
  /** A member with a role, an open action's owner, or deactivated by an earlier change. */
  readonly known: boolean;
  /** DMs withheld from them as deactivated, unresolved. */
  readonly refusedDeactivated: boolean;
  /** A recorded deactivation not undone yet. */
  readonly deactivated: boolean;
}

/** What sopbot knows `user` for, in one read. */
export async function personStanding(db: Db, user: string): Promise<PersonStanding> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .exists(eb.selectFrom('members').select('slack_user_id').where('slack_user_id', '=', user))
        .as('member'),
      eb
        .exists(
          eb
            .selectFrom('actions')
            .select('id')
            .where('owner', '=', user)
            .where('status', '=', 'open'),
        )
        .as('owner'),
      eb
        .exists(
          eb
            .selectFrom('slack_refusals')
            .select('id')
            .where('conversation', '=', user)
            .where('reason', '=', 'deactivated')
            .where('resolved_at', 'is', null),
        )
        .as('refused'),
      eb
        .exists(
          eb
            .selectFrom('slack_person_changes')
            .select('slack_user_id')
            .where('slack_user_id', '=', user)
            .where('deactivated_at', 'is not', null),
        )
        .as('deactivated'),
    ])
    .executeTakeFirstOrThrow();
  // pg returns a boolean for EXISTS.
  return {
    known: Boolean(row.member || row.owner || row.refused || row.deactivated),
    refusedDeactivated: Boolean(row.refused),
    deactivated: Boolean(row.deactivated),
  };
}

/**
 * Records a `user_change` about `user` now: `deactivated` keeps the first time of a
 * deactivation Slack says again (and whether the admins were told of it), `live` clears both,
 * `unchanged` only marks the change (a live answer remembered before it is stale).
 */
export async function recordPersonChange(
  db: Db,
  user: string,
  state: 'deactivated' | 'live' | 'unchanged',
): Promise<void> {
  await db
    .insertInto('slack_person_changes')
    .values({
      slack_user_id: user,
      changed_at: sql<Date>`now()`,
      // To the millisecond: the job names a deactivation by the time a JS Date holds.
      deactivated_at: state === 'deactivated' ? sql<Date>`date_trunc('milliseconds', now())` : null,
    })
    .onConflict((oc) =>
      oc.column('slack_user_id').doUpdateSet({
        changed_at: sql<Date>`now()`,
        ...(state === 'deactivated'
          ? {
              deactivated_at: sql<Date>`coalesce(slack_person_changes.deactivated_at, excluded.deactivated_at)`,
            }
          : state === 'live'
            ? { deactivated_at: null, left_notified_at: null }
            : {}),
      }),
    )
    .execute();
}

/**
 * Marks the deactivation of `user` that began at `deactivatedAt` as told to the admins; false
 * when it was told already or undone since.
 */
export async function markLeftNotified(
  db: Db,
  user: string,
  deactivatedAt: Date,
): Promise<boolean> {
  const res = await db
    .updateTable('slack_person_changes')
    .set({ left_notified_at: sql<Date>`now()` })
    .where('slack_user_id', '=', user)
    .where('deactivated_at', '=', deactivatedAt)
    .where('left_notified_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
