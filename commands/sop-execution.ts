/**
 * `/sop execution` (operations, planners, admins): opens the weekly S&OE form to report a
 * deviation the imported numbers cannot show yet (a supplier delay, a line stop).
 */
import { today } from '../src/services/actions.js';
import { getSettings } from '../src/services/settings.js';
import { openForm } from '../src/slack/after-ack-limit.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { executionModal } from '../src/slack/presenters/execution.js';

export const execution: SopSubcommand = {
  name: 'execution',
  usage: '/sop execution',
  summary: 'report a weekly deviation (supplier delay, line stop) with an owner and due date',
  action: 'execution.report',
  opensForm: () => true,
  async handle(ctx) {
    const { timezone } = await getSettings(ctx.deps.db);
    await openForm(ctx.client, ctx.command, {
      trigger_id: ctx.command.trigger_id,
      view: executionModal(today(ctx.deps.clock.now(), timezone)),
    });
  },
};
