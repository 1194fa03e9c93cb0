/** /capacity: operations update a resource's capacity, by modal or typed command. */
import type { App } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { CAPACITY_CHANGE, submitCapacityUpdate } from '../src/services/capacity.js';
import { afterChange } from '../src/services/summary.js';
import { afterAck } from '../src/slack/after-ack-limit.js';
import {
  type ChangeSpec,
  openChangeModal,
  runTextChange,
  submitChangeView,
} from '../src/slack/change-flow.js';
import { memberOf } from '../src/slack/member-context.js';
import { CALLBACK } from '../src/slack/presenters/change-modal.js';
import { CAPACITY_USAGE } from '../src/slack/presenters/help.js';
import { commandRequestKey } from '../src/slack/request-key.js';

export const CAPACITY: ChangeSpec = {
  ...CAPACITY_CHANGE,
  usage: '/capacity LINE-2 2027-01..2027-02 -30% maintenance "Overhaul"',
  submit: submitCapacityUpdate,
};

export function register(app: App, deps: AppDeps): void {
  app.command('/capacity', async ({ ack, command, client, respond, context }) => {
    await ack();
    const text = command.text.trim().toLowerCase();
    if (text === '')
      return openChangeModal(deps, CAPACITY, client, command, () => memberOf(context));
    if (text === 'help') {
      await respond({ response_type: 'ephemeral', text: `Usage: \`${CAPACITY_USAGE}\`` });
      return;
    }
    // Storing and confirming take a bounded slot; the channel summary waits outside it.
    const outcome = await afterAck(deps, () =>
      runTextChange(deps, CAPACITY, command, respond, commandRequestKey(command), () =>
        memberOf(context),
      ),
    );
    if (outcome) await afterChange(deps, client, 'capacity', outcome);
  });

  app.view(CALLBACK.capacity, (args) => submitChangeView(deps, CAPACITY, args));
}
