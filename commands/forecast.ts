/**
 * /forecast: sales reps adjust the demand forecast. No text opens the modal; text makes the
 * same adjustment directly; `no-change` declares no change for the rep's families.
 */
import type { App, BlockAction, StaticSelectAction } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import {
  declareNoChangeForMember,
  FORECAST_CHANGE,
  submitAdjustment,
} from '../src/services/adjustments.js';
import { afterNoChange } from '../src/services/summary.js';
import { leaveAfterAckSlot } from '../src/slack/after-ack-limit.js';
import {
  buildChangeModal,
  type ChangeSpec,
  registerChangeCommand,
} from '../src/slack/change-flow.js';
import { redrawHome } from '../src/slack/home.js';
import { memberOf } from '../src/slack/member-context.js';
import { noChangeText } from '../src/slack/presenters/change.js';
import {
  decodeMeta,
  FORECAST_TARGET_ACTION,
  messageModal,
  NO_CHANGE_ACTION,
} from '../src/slack/presenters/change-modal.js';
import { FORECAST_USAGE } from '../src/slack/presenters/help.js';
import { logUnexpected, warningText } from '../src/slack/reply.js';

export const FORECAST: ChangeSpec = {
  ...FORECAST_CHANGE,
  usage: '/forecast FAM-12 2027-03..2027-05 +15% promotion "Spring campaign"',
  submit: submitAdjustment,
};

export function register(app: App, deps: AppDeps): void {
  registerChangeCommand(
    app,
    deps,
    FORECAST,
    FORECAST_USAGE,
    async (text, respond, member, client, body) => {
      if (text !== 'no-change' && text !== 'no change' && text !== 'nochange') return false;
      let declared: Awaited<ReturnType<typeof declareNoChangeForMember>> & { author: string };
      try {
        const who = await member();
        declared = { ...(await declareNoChangeForMember(deps, who)), author: who.userId };
        await respond({
          response_type: 'ephemeral',
          text: noChangeText(declared.cycleMonth, declared.families),
        });
      } catch (err) {
        logUnexpected(deps.logger, err, '/forecast no-change failed');
        await respond({ response_type: 'ephemeral', text: warningText(err) });
        return true;
      }
      // The demand summary counts the declaration, and its thread says so; its batching may
      // wait, outside the after-ack slot.
      leaveAfterAckSlot(body);
      await afterNoChange(deps, client, declared);
      return true;
    },
  );

  // Picking a family redraws the modal with its baseline and consensus.
  app.action<BlockAction<StaticSelectAction>>(
    FORECAST_TARGET_ACTION,
    async ({ ack, body, action, client, context }) => {
      await ack();
      const view = body.view;
      if (!view) return;
      const meta = decodeMeta(view.private_metadata);
      let next: ReturnType<typeof messageModal>;
      try {
        next = await buildChangeModal(
          deps,
          FORECAST,
          await memberOf(context),
          meta?.channelId ?? null,
          action.selected_option?.value,
        );
      } catch (err) {
        logUnexpected(deps.logger, err, 'family pick failed');
        next = messageModal('Forecast', warningText(err));
      }
      // A newer pick already redrew the modal (hash_conflict): that one wins, nothing to tell.
      await client.views
        .update({ view_id: view.id, hash: view.hash, view: next })
        .catch((err: unknown) => deps.logger.warn({ err }, 'family pick: modal not redrawn'));
    },
  );

  // From the modal (the modal then says so) or from App Home (the Home tab is redrawn).
  app.action<BlockAction>(NO_CHANGE_ACTION, async ({ ack, body, client, context }) => {
    await ack();
    let text: string;
    let declared:
      | (Awaited<ReturnType<typeof declareNoChangeForMember>> & { author: string })
      | null = null;
    try {
      const who = await memberOf(context);
      declared = { ...(await declareNoChangeForMember(deps, who)), author: who.userId };
      text = noChangeText(declared.cycleMonth, declared.families);
    } catch (err) {
      logUnexpected(deps.logger, err, 'no-change button failed');
      text = warningText(err);
    }
    if (body.view?.type === 'modal')
      await client.views.update({ view_id: body.view.id, view: messageModal('Forecast', text) });
    else {
      await client.chat.postMessage({ channel: body.user.id, text });
      // The Home stops listing the families as owed; a refusal or a failure changed nothing
      // there (and the person has been told once).
      if (declared) await redrawHome(deps, client, body.user.id, 'no change');
    }
    if (declared) {
      leaveAfterAckSlot(body);
      await afterNoChange(deps, client, declared);
    }
  });
}
