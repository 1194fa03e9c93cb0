/** `/sop help`: every subcommand with its usage, plus /forecast and /capacity. */
import type { SopSubcommand } from '../src/slack/command-types.js';
import { helpText } from '../src/slack/presenters/help.js';
import { SOP_SUBCOMMANDS } from './sop-registry.js';

export const help: SopSubcommand = {
  name: 'help',
  usage: '/sop help',
  summary: 'list the commands',
  action: 'cycle.read',
  async handle({ respond }) {
    await respond({ response_type: 'ephemeral', text: helpText(SOP_SUBCOMMANDS) });
  },
};
