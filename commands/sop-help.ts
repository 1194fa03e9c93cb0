/**
 * `/sop help`: the commands the reader may use, then the others with the roles that may;
 * `/sop help <command>` one command, each of its uses with who may use it.
 */
import { codeSpan } from '../src/core/text.js';
import type { AppDeps } from '../src/deps.js';
import { UsageError } from '../src/errors.js';
import { type Member, membersWhoMay } from '../src/services/members.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { commandHelpText, helpCommandNames, helpText } from '../src/slack/presenters/help.js';

/**
 * `/sop help` for `member`; one with no role is told which admins give roles (the people the
 * policy lets use `/sop role`, SOPBOT_ADMIN_USERS included), by name.
 */
export async function helpFor(
  deps: AppDeps,
  subs: readonly SopSubcommand[],
  member: Member,
): Promise<string> {
  const admins =
    member.role === null
      ? await membersWhoMay(deps.db, 'role.set', deps.config.SOPBOT_ADMIN_USERS)
      : [];
  return helpText(subs, member, admins);
}

/**
 * The help subcommand over the registry's list. The registry passes its list in, so this
 * module does not import the registry that lists it.
 */
export function helpOver(all: () => readonly SopSubcommand[]): SopSubcommand {
  return {
    name: 'help',
    usage: '/sop help [command]',
    summary: 'with a command (`/sop help vote`), its parts and who may use each',
    action: 'cycle.read',
    get keywords() {
      return all().map((s) => s.name);
    },
    async handle({ args, deps, member, respond }) {
      const [name] = args;
      if (name === undefined) {
        await respond({ response_type: 'ephemeral', text: await helpFor(deps, all(), member) });
        return;
      }
      const text = commandHelpText(all(), name, member);
      if (text === null)
        throw new UsageError(
          `${codeSpan(name)} is not a sopbot command; name one of ${helpCommandNames(all()).join(', ')}, e.g. \`/sop help vote\`.`,
        );
      await respond({ response_type: 'ephemeral', text });
    },
  };
}
