/** `/sop help`: every subcommand with its usage, plus /forecast and /capacity. */
import type { SopSubcommand } from '../src/slack/command-types.js';
import { helpText } from '../src/slack/presenters/help.js';

/**
 * The help subcommand over the registry's list. The registry passes its list in, so this
 * module does not import the registry that lists it.
 */
export function helpOver(all: () => readonly SopSubcommand[]): SopSubcommand {
  return {
    name: 'help',
    usage: '/sop help',
    summary: 'list the commands',
    action: 'cycle.read',
    async handle({ respond }) {
      await respond({ response_type: 'ephemeral', text: helpText(all()) });
    },
  };
}
