/**
 * `/sop constraints`: the open capacity constraints, with Resolve and Withdraw for those who
 * may change capacity; `/sop constraints LINE-2` lists one resource's (its code in any case,
 * even one spelt like a verb); `/sop constraints resolve|withdraw <number> [note]` does the
 * same typed.
 */
import type { webApi } from '@slack/bolt';
import { can } from '../src/core/policy.js';
import { codeSpan } from '../src/core/text.js';
import type { AppDeps } from '../src/deps.js';
import { UsageError } from '../src/errors.js';
import { readRowId } from '../src/row-id.js';
import {
  type ConstraintClose,
  type ConstraintClosed,
  closeConstraint,
  isResourceCode,
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

const USAGE = '/sop constraints [<resource>] | resolve|withdraw <number> [note]';

/**
 * The list as `member` sees it (buttons only for those who may act), under `notice`: every
 * resource's, or `resource`'s (a code as typed).
 */
export async function constraintList(
  deps: AppDeps,
  member: Member,
  notice?: string,
  resource: string | null = null,
) {
  const list = await listConstraints(deps.db, resource);
  return constraintListMessage(list, {
    canAct: can(member, 'capacity.update'),
    ...(notice ? { notice } : {}),
  });
}

/**
 * Closes a constraint and says what happened above the list (of `resource`'s when the click
 * came from such a list), then (for a change) hands the recompute recorded with it to the
 * queue and notes it under the supply channel's summary.
 */
export async function closeAndShow(
  deps: AppDeps,
  client: webApi.WebClient,
  member: Member,
  id: string,
  to: ConstraintClose,
  note: string | null,
  resource: string | null = null,
) {
  const result = await closeConstraint(deps, member, id, to, note);
  const { timezone } = await getSettings(deps.db);
  const message = await constraintList(
    deps,
    member,
    constraintClosedNotice(result, member.userId, timezone),
    resource,
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
    await queueSummary(deps, client, 'capacity', r.recomputed, {
      people: r.by ? [r.by] : [],
      draw: (nameOf) => constraintClosedNote(r, note, nameOf),
    });
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
  usage: '/sop constraints [<resource>]',
  summary: "the open capacity constraints, every resource's or one's",
  action: 'cycle.read',
  keywords: Object.keys(VERBS),
  // The note after `resolve 41` as typed.
  freeTextFrom: (args) => (args[0] !== undefined && args[0] in VERBS ? 2 : args.length),
  parts: [
    {
      usage: '/sop constraints resolve|withdraw <number> [note]',
      summary: 'close a constraint that is over, or withdraw one entered by mistake',
      action: 'capacity.update',
      brief: '`/sop constraints resolve|withdraw`',
    },
  ],
  async handle({ deps, args, client, respond, member }) {
    const [verb, number, ...note] = args;
    if (verb === undefined) {
      await respond({ response_type: 'ephemeral', ...(await constraintList(deps, member)) });
      return;
    }
    const to = VERBS[verb.toLowerCase()];
    // A word alone that is no verb, or a resource's code spelt like one (a line coded
    // RESOLVE): a resource's list. A verb takes a number after it.
    if (args.length === 1 && (!to || (await isResourceCode(deps.db, verb)))) {
      const list = await constraintList(deps, member, undefined, verb);
      await respond({ response_type: 'ephemeral', ...list });
      return;
    }
    if (!to)
      throw new UsageError(
        `${codeSpan(verb)} is neither resolve nor withdraw, and a resource's list takes its code alone: e.g. \`/sop constraints LINE-2\` or \`/sop constraints resolve 41\`.\nUsage: \`${USAGE}\``,
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
