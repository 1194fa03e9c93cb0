/**
 * `user-left`: tell the admins that someone sopbot knows left the workspace, and what they
 * held (src/services/user-change.ts). The bot requests it on a `user_change` event whose
 * account is deactivated.
 */
import { tellAdminsUserLeft } from '../src/services/user-change.js';
import type { Processor } from './processor-types.js';

export const userLeft: Processor<'user-left'> = (p, ctx) =>
  tellAdminsUserLeft(
    { db: ctx.db, slack: ctx.slack, bootstrapAdmins: ctx.config.SOPBOT_ADMIN_USERS },
    p,
  );
