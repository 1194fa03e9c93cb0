/**
 * `/sop actions [@user] [open|overdue|all]`: follow-up actions (default: everyone's open ones).
 * `/sop actions reassign #id @person`: give one to another owner (its owner, or whoever the
 * policy lets manage any action; src/services/action-reassign.ts checks who).
 */

import { codeSpan } from '../src/core/text.js';
import { UsageError } from '../src/errors.js';
import { readRowId } from '../src/row-id.js';
import { handOverReassignment, reassignAction } from '../src/services/action-reassign.js';
import { type ActionFilter, isOverdue, listActions, today } from '../src/services/actions.js';
import { getSettings } from '../src/services/settings.js';
import type { SopCommandContext, SopSubcommand } from '../src/slack/command-types.js';
import { redrawHomes } from '../src/slack/home.js';
import { actionsListText, reassignedText } from '../src/slack/presenters/actions.js';
import { parseChannelMention, parseUserMention } from '../src/slack/tokenise.js';

const FILTERS: readonly ActionFilter[] = ['open', 'overdue', 'all'];
const REASSIGN_USAGE = '/sop actions reassign #id @person';

/** `#12` or `12`: the action's number, or null. */
function actionNumber(token: string): string | null {
  const n = readRowId(token.replace(/^#/, ''));
  return n === null ? null : String(n);
}

/** The person a token mentions, or a UsageError saying what it is instead. */
function personOf(token: string): string {
  const user = parseUserMention(token);
  if (user) return user;
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

export const actions: SopSubcommand = {
  name: 'actions',
  usage: '/sop actions [@user|me] [open|overdue|all]',
  summary: 'the follow-up actions of the decisions and the S&OE deviations',
  action: 'cycle.read',
  parts: [
    {
      usage: REASSIGN_USAGE,
      summary: 'give a follow-up action to another owner',
      action: 'action.manage-any',
      alsoBy: "the action's owner",
    },
  ],
  async handle(ctx) {
    if (ctx.args[0]?.toLowerCase() === 'reassign') return reassign(ctx, ctx.args.slice(1));
    let owner: string | undefined;
    let filter: ActionFilter = 'open';
    for (const t of ctx.args) {
      if (t === 'me') owner = ctx.member.userId;
      else if ((FILTERS as readonly string[]).includes(t)) filter = t as ActionFilter;
      else {
        const u = parseUserMention(t);
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
