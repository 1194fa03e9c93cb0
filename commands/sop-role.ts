/** `/sop role @user sales|ops|planner|exec|admin` (admins only). */
import { z } from 'zod';
import type { Role } from '../src/core/company.js';
import { UsageError } from '../src/errors.js';
import { ROLE_LABEL, ROLES, setRole } from '../src/services/members.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { parseUserMention } from '../src/slack/tokenise.js';

const USAGE = '/sop role @user sales|ops|planner|exec|admin';
const roleSchema = z.enum(ROLES as [Role, ...Role[]]);

export const role: SopSubcommand = {
  name: 'role',
  usage: USAGE,
  summary: 'give a member a role (admins)',
  action: 'role.set',
  async handle({ deps, args, member, respond }) {
    const [who, what, ...extra] = args;
    const userId = who ? parseUserMention(who) : null;
    if (!userId || extra.length > 0)
      throw new UsageError(`Mention one person, then a role. Usage: \`${USAGE}\``);
    const parsed = roleSchema.safeParse(what?.toLowerCase());
    if (!parsed.success)
      throw new UsageError(
        `\`${what ?? ''}\` is not a role; use one of ${ROLES.join(', ')}. Usage: \`${USAGE}\``,
      );
    await setRole(deps.db, member.userId, userId, parsed.data, {
      bootstrapAdmins: deps.config.SOPBOT_ADMIN_USERS,
    });
    await respond({
      response_type: 'ephemeral',
      text: `<@${userId}> is now *${ROLE_LABEL[parsed.data]}*.`,
    });
  },
};
