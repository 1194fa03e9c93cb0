/**
 * Bolt global middleware: resolves the member behind a request once (their role from the
 * database, or admin by SOPBOT_ADMIN_USERS) and puts it on Bolt's `context`. Listeners read
 * it with `memberOf(context)` and ask src/core/policy.ts what it may do.
 */
import type { AnyMiddlewareArgs, Context, Middleware } from '@slack/bolt';
import type { AppDeps } from '../deps.js';
import { getMember, type Member } from '../services/members.js';

const KEY = 'member';

export function memberContext(deps: AppDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    // Bolt sets userId from the payload. Events (app_home_opened draws the Home of the user
    // it names, through the service) need no member: only interactions and commands get one.
    const isEvent = (body as { type?: string }).type === 'event_callback';
    if (context.userId && !isEvent)
      context[KEY] = await getMember(deps.db, context.userId, deps.config.SOPBOT_ADMIN_USERS);
    await next();
  };
}

/** The member the middleware resolved; a request from a user always has one. */
export function memberOf(context: Context): Member {
  const member = context[KEY] as Member | undefined;
  if (!member) throw new Error('no member on the context: is memberContext registered?');
  return member;
}
