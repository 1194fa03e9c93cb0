/** `/sop actions [@user] [open|overdue|all]`: follow-up actions (default: everyone's open ones). */
import { UsageError } from '../src/errors.js';
import { type ActionFilter, isOverdue, listActions, today } from '../src/services/actions.js';
import { getSettings } from '../src/services/settings.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { actionsListText } from '../src/slack/presenters/actions.js';
import { parseUserMention } from '../src/slack/tokenise.js';

const FILTERS: readonly ActionFilter[] = ['open', 'overdue', 'all'];

export const actions: SopSubcommand = {
  name: 'actions',
  usage: '/sop actions [@user|me] [open|overdue|all]',
  summary: 'list the follow-up actions of the executive decisions',
  action: 'cycle.read',
  async handle(ctx) {
    let owner: string | undefined;
    let filter: ActionFilter = 'open';
    for (const t of ctx.args) {
      if (t === 'me') owner = ctx.member.userId;
      else if ((FILTERS as readonly string[]).includes(t)) filter = t as ActionFilter;
      else {
        const u = parseUserMention(t);
        if (!u)
          throw new UsageError(
            `'${t}' is neither a @user nor one of open, overdue, all.\nUsage: ${this.usage}`,
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
