/** `/sop decisions [YYYY-MM] [md|csv]`: the decision log, listed or uploaded as a file. */
import { isPeriod } from '../src/core/period.js';
import { codeSpan } from '../src/core/text.js';
import { UsageError } from '../src/errors.js';
import { today } from '../src/services/actions.js';
import {
  decisionPeople,
  decisionsCsv,
  decisionsMarkdown,
  listDecisions,
} from '../src/services/decisions.js';
import { getSettings } from '../src/services/settings.js';
import { userNamesFor } from '../src/services/user-names.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { uploadedText, uploadWhereInvoked } from '../src/slack/invoking-channel.js';
import { decisionsListText } from '../src/slack/presenters/decision.js';

export const decisions: SopSubcommand = {
  name: 'decisions',
  usage: '/sop decisions [YYYY-MM] [md|csv]',
  summary: 'the decision log (scenario, rationale, who, when, actions); md or csv uploads a file',
  action: 'cycle.read',
  keywords: ['md', 'csv'],
  async handle(ctx) {
    let month: string | undefined;
    let format: 'list' | 'md' | 'csv' = 'list';
    for (const t of ctx.args) {
      if (isPeriod(t)) month = t;
      else if (t === 'md' || t === 'csv') format = t;
      else
        throw new UsageError(
          `${codeSpan(t)} is neither a month (YYYY-MM) nor md/csv.\nUsage: ${this.usage}`,
        );
    }
    const entries = await listDecisions(ctx.deps.db, month);
    const { timezone } = await getSettings(ctx.deps.db);
    if (format === 'list') {
      const day = today(ctx.deps.clock.now(), timezone);
      await ctx.respond({
        response_type: 'ephemeral',
        text: decisionsListText(entries, timezone, day),
      });
      return;
    }
    const name = `sop-decisions${month ? `-${month}` : ''}.${format}`;
    // A file shows people by name, as `sopbot decisions` does (the CSV keeps their ids too):
    // Slack renders no mention in it.
    const who = await userNamesFor(ctx.deps.db, ctx.client, ctx.deps.logger).names(
      decisionPeople(entries),
    );
    const where = await uploadWhereInvoked(ctx.deps.db, ctx.client, {
      channel: ctx.command.channel_id,
      user: ctx.command.user_id,
      filename: name,
      title: `S&OP decisions${month ? ` ${month}` : ''}`,
      content:
        format === 'csv'
          ? decisionsCsv(entries, who)
          : decisionsMarkdown(
              entries,
              timezone,
              month ? `Decisions ${month}` : 'Decision log',
              who,
            ),
      logger: ctx.deps.logger,
    });
    await ctx.respond({
      response_type: 'ephemeral',
      text: uploadedText(`${name} (${entries.length} decisions)`, where),
    });
  },
};
