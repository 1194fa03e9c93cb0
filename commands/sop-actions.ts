/**
 * `/sop actions [@user] [open|overdue|all]`: follow-up actions (default: everyone's open ones).
 * `/sop actions reassign #id @person`: give one to another owner (its owner, or whoever the
 * policy lets manage any action; src/services/action-reassign.ts checks who).
 * `/sop actions done #id`: mark one done, as its Done button does (the same people may).
 */

import { can } from '../src/core/policy.js';
import { codeSpan } from '../src/core/text.js';
import { SopError, UsageError } from '../src/errors.js';
import { readRowId } from '../src/row-id.js';
import { handOverReassignment, reassignAction } from '../src/services/action-reassign.js';
import {
  type ActionFilter,
  getAction,
  isOverdue,
  listActions,
  markDone,
  today,
} from '../src/services/actions.js';
import { roleNames } from '../src/services/members.js';
import { getSettings } from '../src/services/settings.js';
import type { SopCommandContext, SopSubcommand } from '../src/slack/command-types.js';
import { redrawHomes } from '../src/slack/home.js';
import { actionsListText, doneText, reassignedText } from '../src/slack/presenters/actions.js';
import {
  parseChannelMention,
  parseUserMention,
  unlinkedPersonText,
} from '../src/slack/tokenise.js';

const FILTERS: readonly ActionFilter[] = ['open', 'overdue', 'all'];
const REASSIGN_USAGE = '/sop actions reassign #id @person';
const DONE_USAGE = '/sop actions done #id';

/** `#12` or `12`: the action's number, or null. */
function actionNumber(token: string): string | null {
  const n = readRowId(token.replace(/^#/, ''));
  return n === null ? null : String(n);
}

/** The person a token mentions, or a UsageError saying what it is instead. */
function personOf(token: string): string {
  const user = parseUserMention(token);
  if (user) return user;
  const unlinked = unlinkedPersonText(token);
  if (unlinked) throw new UsageError(`${unlinked}. Usage: \`${REASSIGN_USAGE}\``);
  const what = parseChannelMention(token)
    ? 'a channel'
    : /^<!/.test(token) || /^@(here|channel|everyone)$/i.test(token)
      ? 'a group mention'
      : null;
  throw new UsageError(
    `${codeSpan(token)} is ${what ?? 'not a person'}${what ? ', not a person' : ''}: mention the one person who takes the action over with @. Usage: \`${REASSIGN_USAGE}\``,
  );
}

async function reassign(ctx: SopCommandContext, args: readonly string[]): Promise<void> {
  const [idToken, personToken, ...extra] = args;
  if (idToken === undefined || personToken === undefined || extra.length > 0)
    throw new UsageError(
      `Give the action's number and the person who takes it over. Usage: \`${REASSIGN_USAGE}\` (\`/sop actions\` lists the numbers).`,
    );
  const actionId = actionNumber(idToken);
  if (!actionId)
    throw new UsageError(
      `${codeSpan(idToken)} is not an action's number; give it as #12 (\`/sop actions\` lists them). Usage: \`${REASSIGN_USAGE}\``,
    );
  const to = personOf(personToken);
  const done = await reassignAction(
    { ...ctx.deps, slack: ctx.client },
    { actionId, to, member: ctx.member, requestKey: ctx.requestKey },
  );
  await handOverReassignment(ctx.deps, done);
  await ctx.respond({
    response_type: 'ephemeral',
    text: reassignedText(done.action, done.handover),
  });
  // The action leaves the old owner's To-do and joins the new owner's.
  await redrawHomes(ctx.deps, ctx.client, [done.handover.from, done.handover.to], 'a reassignment');
}

/**
 * `/sop actions done #id`: the action marked done, as its Done button does: by its owner, or by
 * whoever the policy lets manage any action. Its owner's DMs about it lose their buttons (the
 * `action-closed` job), and their App Home is drawn again if they have opened it.
 */
async function done(ctx: SopCommandContext, args: readonly string[]): Promise<void> {
  const [idToken, ...extra] = args;
  if (idToken === undefined || extra.length > 0)
    throw new UsageError(
      `Give the number of the one action that is done. Usage: \`${DONE_USAGE}\` (\`/sop actions\` lists the numbers).`,
    );
  const actionId = actionNumber(idToken);
  if (!actionId)
    throw new UsageError(
      `${codeSpan(idToken)} is not an action's number; give it as #12 (\`/sop actions\` lists them). Usage: \`${DONE_USAGE}\``,
    );
  const a = await getAction(ctx.deps.db, actionId);
  if (!a)
    throw new SopError(
      'not_found',
      `There is no follow-up action #${actionId}; \`/sop actions all\` lists them with their numbers.`,
    );
  const manageAny = can(ctx.member, 'action.manage-any');
  if (a.owner !== ctx.member.userId && !manageAny)
    throw new SopError(
      'forbidden',
      `Only <@${a.owner}>, its owner, or ${roleNames('action.manage-any')} can mark action #${a.id} done.`,
    );
  const marked = await markDone(ctx.deps, a.id, ctx.member.userId, { manageAny });
  const { timezone } = await getSettings(ctx.deps.db);
  await ctx.respond({
    response_type: 'ephemeral',
    text: marked.changed
      ? `Action #${a.id} is ${doneText(marked.action, timezone)}. Reminders stopped.`
      : `Action #${a.id} is already ${marked.action.status}.`,
  });
  // The action leaves its owner's To-do.
  if (marked.changed) await redrawHomes(ctx.deps, ctx.client, [marked.action.owner], 'a Done');
}

export const actions: SopSubcommand = {
  name: 'actions',
  usage: '/sop actions [@user|me] [open|overdue|all]',
  summary: 'the follow-up actions of the decisions, the S&OE deviations and Slack messages',
  action: 'cycle.read',
  keywords: ['reassign', 'done', 'me', ...FILTERS],
  parts: [
    {
      // One line for both (the help stays under Slack's 4,000 characters): the same people may.
      usage: `${REASSIGN_USAGE} · done #id`,
      summary: 'give a follow-up action to another owner, or mark it done',
      action: 'action.manage-any',
      alsoBy: "the action's owner",
      brief: '`/sop actions reassign|done`',
    },
  ],
  async handle(ctx) {
    if (ctx.args[0]?.toLowerCase() === 'reassign') return reassign(ctx, ctx.args.slice(1));
    if (ctx.args[0]?.toLowerCase() === 'done') return done(ctx, ctx.args.slice(1));
    let owner: string | undefined;
    let filter: ActionFilter = 'open';
    for (const t of ctx.args) {
      if (t === 'me') owner = ctx.member.userId;
      else if ((FILTERS as readonly string[]).includes(t)) filter = t as ActionFilter;
      else {
        const u = parseUserMention(t);
        const unlinked = unlinkedPersonText(t);
        if (unlinked)
          throw new UsageError(`${unlinked}.\nUsage: /sop actions [@user|me] [open|overdue|all]`);
        if (!u)
          throw new UsageError(
            `${codeSpan(t)} is neither a @user nor one of open, overdue, all.\nUsage: /sop actions [@user|me] [open|overdue|all]`,
          );
        owner = u;
      }
    }
    const { timezone } = await getSettings(ctx.deps.db);
    const day = today(ctx.deps.clock.now(), timezone);
    const rows = await listActions(ctx.deps.db, {
      filter,
      today: day,
      ...(owner ? { owner } : {}),
    });
    const title = `${filter === 'all' ? 'All' : filter === 'overdue' ? 'Overdue' : 'Open'} actions${owner ? ` of <@${owner}>` : ''}`;
    await ctx.respond({
      response_type: 'ephemeral',
      text: actionsListText(rows, (a) => isOverdue(a, day), title, timezone),
    });
  },
};
