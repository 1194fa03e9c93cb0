/**
 * `/sop constraints`: the open capacity constraints, with Resolve and Withdraw for those who
 * may change capacity; `/sop constraints resolve|withdraw <number> [note]` does the same typed.
 */
import type { webApi } from '@slack/bolt';
import { can } from '../src/core/policy.js';
import type { AppDeps } from '../src/deps.js';
import { UsageError } from '../src/errors.js';
import { readRowId } from '../src/row-id.js';
import {
  type ConstraintClose,
  type ConstraintClosed,
  closeConstraint,
  listConstraints,
} from '../src/services/constraints.js';
import type { Member } from '../src/services/members.js';
import { deliverJobs } from '../src/services/outbox.js';
import { getSettings } from '../src/services/settings.js';
import { queueSummary } from '../src/services/summary.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import {
  constraintClosedNote,
  constraintClosedNotice,
  constraintListMessage,
} from '../src/slack/presenters/constraints.js';
import { esc } from '../src/slack/presenters/format.js';

const USAGE = '/sop constraints [resolve|withdraw <number> [note]]';

/** The list as `member` sees it (buttons only for those who may act), under `notice`. */
export async function constraintList(deps: AppDeps, member: Member, notice?: string) {
  const list = await listConstraints(deps.db);
  return constraintListMessage(list, {
    canAct: can(member, 'capacity.update'),
    ...(notice ? { notice } : {}),
  });
}

/**
 * Closes a constraint and says what happened above the list, then (for a change) hands the
 * recompute recorded with it to the queue and notes it under the supply channel's summary.
 */
export async function closeAndShow(
  deps: AppDeps,
  client: webApi.WebClient,
  member: Member,
  id: string,
  to: ConstraintClose,
  note: string | null,
) {
  const result = await closeConstraint(deps, member, id, to, note);
  const { timezone } = await getSettings(deps.db);
  const message = await constraintList(
    deps,
    member,
    constraintClosedNotice(result, member.userId, timezone),
  );
  return { result, message, after: () => afterClose(deps, client, result, note) };
}

async function afterClose(
  deps: AppDeps,
  client: webApi.WebClient,
  r: ConstraintClosed,
  note: string | null,
): Promise<void> {
  if (!r.changed || !r.recomputed) return;
  // Recorded with the change; if the queue is down the relay delivers it once it is back.
  try {
    const d = await deliverJobs(deps.db, deps.queue, { ids: r.jobRequests });
    if (d.pending > 0)
      deps.logger.info(
        { cycleId: r.recomputed.id, reason: d.error?.message },
        'job queue unavailable: the recompute waits in the outbox',
      );
  } catch (err) {
    deps.logger.error({ err, cycleId: r.recomputed.id }, 'could not hand the recompute over');
  }
  try {
    await queueSummary(deps, client, 'capacity', r.recomputed, constraintClosedNote(r, note));
  } catch (err) {
    deps.logger.error({ err, cycleId: r.recomputed.id }, 'could not update the channel summary');
  }
}

const VERBS: Readonly<Record<string, ConstraintClose>> = {
  resolve: 'resolved',
  withdraw: 'withdrawn',
};

export const constraints: SopSubcommand = {
  name: 'constraints',
  usage: USAGE,
  summary: 'the open capacity constraints; resolve or withdraw one',
  action: 'cycle.read',
  async handle({ deps, args, client, respond, member }) {
    const [verb, number, ...note] = args;
    if (verb === undefined) {
      await respond({ response_type: 'ephemeral', ...(await constraintList(deps, member)) });
      return;
    }
    const to = VERBS[verb.toLowerCase()];
    if (!to)
      throw new UsageError(
        `\`${esc(verb)}\` is neither resolve nor withdraw.\nUsage: \`${USAGE}\``,
      );
    const id = (number ?? '').replace(/^#/, '');
    if (readRowId(id) === null)
      throw new UsageError(
        `Say which constraint by its number, e.g. \`/sop constraints ${verb.toLowerCase()} 41\`; \`/sop constraints\` lists them.`,
      );
    const { message, after } = await closeAndShow(
      deps,
      client,
      member,
      id,
      to,
      note.join(' ') || null,
    );
    await respond({ response_type: 'ephemeral', ...message });
    await after();
  },
};
