/**
 * A follow-up action given to another owner (`/sop actions reassign #id @person`): its owner
 * handing it on, or whoever the policy lets manage any action (`action.manage-any`).
 *
 * One transaction changes the owner (a compare-and-set on the owner read, so a Done or another
 * reassignment in between is not overwritten), audits it (`action.reassign`: who, from, to),
 * resolves what Slack refused to the old owner about this action (`slack_refusals`: `/sop
 * status` stops showing it) and requests the `action-handover` job in the job outbox. The
 * reminders need no change: their jobs carry the action's id only and each reads the owner
 * when it sends, under keys of the action (`reminder:<action>:…`, sent once whoever owns it)
 * or of the owner's morning (`reminder-digest:<owner>:<day>`), so what the old owner was sent
 * is not sent again and the next one goes to the new owner. The job DMs the new owner the
 * action with Done and Snooze, and the old owner that it is the new owner's now, each once
 * (ledger keys of the audit entry); Slack refusing the old owner (one who left) is skipped.
 */
import type { Db } from '../../db/connect.js';
import { reassignOpenAction } from '../../db/queries/actions.js';
import { audit, auditEntry } from '../../db/queries/audit.js';
import { resolveActionRefusals } from '../../db/queries/slack-refusals.js';
import type { ActionRow } from '../../db/schema.js';
import { can, rolesFor } from '../core/policy.js';
import type { CycleDeps } from '../deps.js';
import { SopError, ValidationError } from '../errors.js';
import { permanentRefusal, slackError } from '../slack/post-ledger.js';
import { type Handover, handedOverDm, handedToYouDm } from '../slack/presenters/actions.js';
import { getAction } from './actions.js';
import { type Member, ROLE_LABEL } from './members.js';
import { deliverJobs, requestJob } from './outbox.js';
import { dmOnce } from './reminders.js';

/** The part of WebClient used here: `users.info` (scope `users:read`), `conversations.open`, `chat.postMessage`. */
type Slack = Parameters<typeof dmOnce>[0];

/**
 * Why Slack's `user` cannot own an action, as a sentence naming what to fix; null when they
 * can: a person of the workspace whose account is active. Slack's other failures (a 429, an
 * outage) are thrown as they are.
 */
async function notAnOwner(slack: Slack, user: string): Promise<string | null> {
  let info: { is_bot?: boolean; deleted?: boolean } | undefined;
  try {
    info = (await slack.users.info({ user })).user;
  } catch (err) {
    if (slackError(err) === 'user_not_found')
      return `Slack knows no person \`${user}\` in this workspace; name someone who is in it.`;
    throw err;
  }
  if (info?.is_bot || user === 'USLACKBOT')
    return `<@${user}> is a bot; an action is owned by a person. Name the person who takes it over.`;
  if (info?.deleted)
    return `<@${user}>'s Slack account is deactivated: they would never see the action nor its reminders. Name someone who is still in the workspace.`;
  return null;
}

/** "Admin members", from the policy's row. */
const managers = () =>
  `${rolesFor('action.manage-any')
    .map((r) => ROLE_LABEL[r])
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1')} members`;

/** Why `a` cannot be reassigned as it stands (not open), or null. */
function notOpen(a: ActionRow): SopError | null {
  if (a.status === 'open') return null;
  return new SopError(
    'conflict',
    `Action #${a.id} is ${a.status}: only an open action can be given to someone else.`,
  );
}

export interface ReassignInput {
  readonly actionId: string;
  /** The new owner's user id. */
  readonly to: string;
  /** Who asks: the owner, or a member the policy lets manage any action. */
  readonly member: Member;
  /** The request's key (`commandRequestKey`), kept in the audit entry. */
  readonly requestKey: string;
}

export interface Reassignment {
  readonly action: ActionRow;
  readonly handover: Handover;
  /** The `action-handover` request in the job outbox, for `handOverReassignment`. */
  readonly job: string;
}

/**
 * Give action `actionId` to `to` (see the file's comment): the one path of `/sop actions
 * reassign` and of the Reassign form. Refused, with a sentence naming what to fix and nothing
 * written: an unknown action, one done or cancelled, a member who is neither its owner nor
 * allowed by `action.manage-any`, its owner already, a bot, someone Slack does not know in the
 * workspace, a deactivated account. The handover job waits in the outbox until the caller
 * hands it to the queue (`handOverReassignment`): a form answers first, as Redis may be slow.
 */
export async function reassignAction(
  deps: CycleDeps & { readonly slack: Slack },
  input: ReassignInput,
): Promise<Reassignment> {
  const a = await getAction(deps.db, input.actionId);
  if (!a)
    throw new SopError(
      'not_found',
      `There is no follow-up action #${input.actionId}; \`/sop actions all\` lists them with their numbers.`,
    );
  const closed = notOpen(a);
  if (closed) throw closed;
  const by = input.member.userId;
  if (by !== a.owner && !can(input.member, 'action.manage-any'))
    throw new SopError(
      'forbidden',
      `Only <@${a.owner}>, its owner, or ${managers()} can give action #${a.id} to someone else.`,
    );
  if (input.to === a.owner)
    throw new ValidationError(
      `<@${a.owner}> owns action #${a.id} already; name the person who takes it over.`,
    );
  const why = await notAnOwner(deps.slack, input.to);
  if (why) throw new ValidationError(why);
  const handover: Handover = { by, from: a.owner, to: input.to };
  return deps.db.transaction().execute(async (trx) => {
    const r = await reassignOpenAction(trx, a.id, handover);
    if (!r) {
      const cur = await getAction(trx, a.id);
      if (!cur) throw new SopError('not_found', `There is no follow-up action #${a.id}.`);
      throw (
        notOpen(cur) ??
        new SopError(
          'conflict',
          `Action #${a.id} was given to <@${cur.owner}> meanwhile; nothing was changed. Reassign it again if it should go to <@${input.to}>.`,
        )
      );
    }
    const auditId = await audit(trx, {
      actor: by,
      action: 'action.reassign',
      entity: 'action',
      entityId: a.id,
      details: { from: handover.from, to: handover.to, requestKey: input.requestKey },
    });
    await resolveActionRefusals(trx, handover.from, a.id);
    const job = await requestJob(trx, 'action-handover', { actionId: a.id, handover: auditId });
    return { action: r, handover, job };
  });
}

/** The reassignment's handover job, handed to the queue now if Redis answers; else the relay delivers it when it does. */
export async function handOverReassignment(deps: CycleDeps, r: Reassignment): Promise<void> {
  await deliverJobs(deps.db, deps.queue, { ids: [r.job] });
}

/** What the `action-handover` job did for each owner. */
export interface HandoverDms {
  /** `stale`: the action is no longer the new owner's open action (done, or given on since). */
  readonly newOwner: 'sent' | 'already_sent' | 'stale';
  /** `not_needed`: the old owner gave it themself; `refused`: Slack refuses their DMs (they left). */
  readonly oldOwner: 'sent' | 'already_sent' | 'not_needed' | 'refused' | 'stale';
}

/**
 * The `action-handover` job: the new owner's DM (the action, its Done and Snooze, who gave it)
 * and, when someone else gave it, the old owner's saying it is the new owner's now, each once
 * under `action:<id>:handover:<entry>:new|old`. Slack refusing the old owner for good is
 * skipped (recorded nowhere: they may have left, and the action is no longer theirs); refusing
 * the new owner is thrown once the old owner was tried, for the worker to record and report.
 */
export async function announceHandover(
  deps: { readonly db: Db; readonly slack: Slack },
  p: { readonly actionId: string; readonly handover: string },
): Promise<HandoverDms> {
  const [a, entry] = await Promise.all([
    getAction(deps.db, p.actionId),
    auditEntry(deps.db, p.handover),
  ]);
  const details = (entry?.details ?? {}) as { from?: string; to?: string };
  if (!a || !entry || entry.action !== 'action.reassign' || !details.from || !details.to)
    return { newOwner: 'stale', oldOwner: 'stale' };
  const h: Handover = { by: entry.actor, from: details.from, to: details.to };
  if (a.status !== 'open' || a.owner !== h.to) return { newOwner: 'stale', oldOwner: 'stale' };
  const key = `action:${a.id}:handover:${p.handover}`;
  let newOwner: HandoverDms['newOwner'] = 'already_sent';
  let refused: unknown = null;
  try {
    if (await dmOnce(deps.slack, deps.db, `${key}:new`, h.to, handedToYouDm(a, h)))
      newOwner = 'sent';
  } catch (err) {
    if (!permanentRefusal(err)) throw err;
    refused = err;
  }
  let oldOwner: HandoverDms['oldOwner'] = 'not_needed';
  if (h.by !== h.from) {
    try {
      oldOwner = (await dmOnce(deps.slack, deps.db, `${key}:old`, h.from, handedOverDm(a, h)))
        ? 'sent'
        : 'already_sent';
    } catch (err) {
      if (!permanentRefusal(err)) throw err;
      oldOwner = 'refused';
    }
  }
  if (refused) throw refused;
  return { newOwner, oldOwner };
}
