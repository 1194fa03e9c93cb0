/**
 * Bolt global middleware: the member behind a request (their role from the database, or
 * admin by SOPBOT_ADMIN_USERS), resolved at most once per request and only when a listener
 * asks, so the ack never waits for the database. Listeners read it with
 * `await memberOf(context)` and ask src/core/policy.ts what it may do.
 */
import type { AnyMiddlewareArgs, Context, Middleware } from '@slack/bolt';
import type { AppDeps } from '../deps.js';
import { getMember, type Member } from '../services/members.js';

const KEY = 'member';

export function memberContext(deps: AppDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ context, next }) => {
    // Bolt sets userId from the payload (commands, actions, views, options, shortcuts, events).
    const userId = context.userId;
    if (userId) {
      let member: Promise<Member> | null = null;
      context[KEY] = () => {
        member ??= getMember(deps.db, userId, deps.config.SOPBOT_ADMIN_USERS);
        return member;
      };
    }
    await next();
  };
}

/** The member the middleware resolves for this request (looked up once, on first use). */
export function memberOf(context: Context): Promise<Member> {
  const resolve = context[KEY] as (() => Promise<Member>) | undefined;
  if (!resolve)
    return Promise.reject(new Error('no member on the context: is memberContext registered?'));
  return resolve();
}
