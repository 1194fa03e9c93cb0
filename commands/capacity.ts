/** /capacity: operations update a resource's capacity, by modal or typed command. */
import type { App } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { SopError } from '../src/errors.js';
import type { ChangeOutcome } from '../src/services/adjustments.js';
import { CAPACITY_REASONS, submitCapacityUpdate } from '../src/services/capacity.js';
import { getMember } from '../src/services/members.js';
import { afterChange } from '../src/services/summary.js';
import {
  type ChangeSpec,
  confirmPrivately,
  errorBlock,
  openChangeModal,
  runTextChange,
} from '../src/slack/change-flow.js';
import { inputFromState } from '../src/slack/change-state.js';
import { followUp } from '../src/slack/follow-up.js';
import { CALLBACK, confirmationModal, decodeMeta } from '../src/slack/presenters/change-modal.js';
import { CAPACITY_USAGE } from '../src/slack/presenters/help.js';
import { userMessage } from '../src/slack/reply.js';
import { commandRequestKey, viewRequestKey } from '../src/slack/request-key.js';

export const CAPACITY: ChangeSpec = {
  subject: 'capacity',
  reasons: CAPACITY_REASONS,
  roles: ['ops', 'planner'],
  what: 'update capacity',
  usage: '/capacity LINE-2 2027-01..2027-02 -30% maintenance "Overhaul"',
  submit: submitCapacityUpdate,
};

export function register(app: App, deps: AppDeps): void {
  app.command('/capacity', async ({ ack, command, client, respond }) => {
    await ack();
    const text = command.text.trim().toLowerCase();
    if (text === '') return openChangeModal(deps, CAPACITY, client, command);
    if (text === 'help') {
      await respond({ response_type: 'ephemeral', text: `Usage: \`${CAPACITY_USAGE}\`` });
      return;
    }
    // Storing and confirming take a bounded slot; the channel summary waits outside it.
    const outcome = await followUp(deps, () =>
      runTextChange(deps, CAPACITY, command, respond, commandRequestKey(command)),
    );
    if (outcome) await afterChange(deps, client, 'capacity', outcome);
  });

  app.view(CALLBACK.capacity, async ({ ack, body, view, client }) => {
    const meta = decodeMeta(view.private_metadata);
    let outcome: ChangeOutcome;
    try {
      const member = await getMember(deps.db, body.user.id, deps.config.SOPBOT_ADMIN_USERS);
      outcome = await submitCapacityUpdate(deps, member, inputFromState(view.state.values), {
        requestKey: viewRequestKey(view),
        source: 'modal',
        teamId: body.team?.id ?? null,
        channelId: meta?.channelId ?? null,
      });
    } catch (err) {
      if (!(err instanceof SopError) || err.code === 'internal')
        deps.logger.error({ err }, 'capacity submission failed');
      await ack({ response_action: 'errors', errors: { [errorBlock(err)]: userMessage(err) } });
      return;
    }
    await ack({ response_action: 'update', view: confirmationModal(outcome, 'capacity') });
    await confirmPrivately(
      client,
      body.user.id,
      meta?.channelId ?? null,
      outcome,
      'capacity',
    ).catch((err: unknown) => deps.logger.warn({ err }, 'confirmation not sent'));
    await afterChange(deps, client, 'capacity', outcome);
  });
}
