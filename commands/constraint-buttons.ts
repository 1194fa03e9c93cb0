/**
 * Resolve and Withdraw on the `/sop constraints` list: the list is replaced in place with
 * what the click did and the constraints still open (of the same resource, for a list of one
 * resource's). A refusal or a failure is a new private message, so the list stays as it was.
 */
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import type { ConstraintClose } from '../src/services/constraints.js';
import { memberOf } from '../src/slack/member-context.js';
import {
  CONSTRAINT_RESOLVE,
  CONSTRAINT_WITHDRAW,
  listedResource,
} from '../src/slack/presenters/constraints.js';
import { tellUser } from '../src/slack/reply.js';
import { closeAndShow } from './sop-constraints.js';

type Click = BlockAction<ButtonAction>;

export function register(app: App, deps: AppDeps): void {
  const close =
    (to: ConstraintClose) =>
    async ({
      ack,
      body,
      action,
      client,
      context,
      respond,
    }: SlackActionMiddlewareArgs<Click> & AllMiddlewareArgs) => {
      await ack();
      try {
        const member = await memberOf(context);
        const { message, after } = await closeAndShow(
          deps,
          client,
          member,
          action.value ?? '',
          to,
          null,
          listedResource(action.block_id),
        );
        await respond({ replace_original: true, ...message });
        await after();
      } catch (err) {
        await tellUser(client, body, err, deps.logger);
      }
    };
  app.action<Click>(CONSTRAINT_RESOLVE, close('resolved'));
  app.action<Click>(CONSTRAINT_WITHDRAW, close('withdrawn'));
}
