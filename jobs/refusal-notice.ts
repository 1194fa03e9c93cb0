/**
 * `refusal-notice`: tell the admins, once a day at most, that Slack refuses posts to a
 * conversation for good (src/services/undelivered.ts). The worker requests it when a job's
 * post or DM is refused so (jobs/runtime.ts); its own refusals request none.
 */
import { sendRefusalNotice } from '../src/services/undelivered.js';
import type { Processor } from './processor-types.js';

export const refusalNotice: Processor<'refusal-notice'> = (p, ctx) =>
  sendRefusalNotice(
    { db: ctx.db, slack: ctx.slack, bootstrapAdmins: ctx.config.SOPBOT_ADMIN_USERS },
    p,
  );
