/**
 * The `/sop scenario set` modal's submission: parse, save through the service (which keeps the
 * levers the form has no input for, and refuses a scenario changed since the form opened),
 * confirm.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { AppDeps } from '../src/deps.js';
import { rowIdNumber } from '../src/row-id.js';
import { requirePermission } from '../src/services/members.js';
import { ScenarioInvalid, setCycleScenario } from '../src/services/scenarios.js';
import { memberOf } from '../src/slack/member-context.js';
import { messageModal } from '../src/slack/presenters/change-modal.js';
import {
  formlessLevers,
  parseScenarioState,
  SCENARIO_CALLBACK,
  type ScenarioStateValues,
  scenarioFieldErrors,
  scenarioListText,
} from '../src/slack/presenters/scenario.js';
import { logUnexpected, warningText } from '../src/slack/reply.js';

const Meta = z.object({
  cycleId: rowIdNumber,
  month: z.string().regex(/^\d{4}-\d{2}$/),
  name: z.string().regex(/^[a-z][a-z0-9-]{0,29}$/),
  channel: z.string().min(1),
  seen: z.string().regex(/^[0-9a-f]{16}$/),
});

/**
 * The form's private_metadata as JSON, or null when it is not JSON (then refused as stale).
 * Slack returns what the bot set, so a damaged one is logged: it is a fault or a forgery.
 */
function readJson(raw: string, logger: AppDeps['logger']): unknown {
  try {
    return JSON.parse(raw || '{}');
  } catch (err) {
    logger.warn({ err }, 'scenario form private_metadata is not JSON');
    return null;
  }
}

/**
 * Each error on the input it concerns; an error no input concerns (the cycle's limit of
 * scenarios, a refused role, a fault of ours) replaces the form with the sentence, since no
 * change to the form can fix it.
 */
export function register(app: App, deps: AppDeps): void {
  app.view(SCENARIO_CALLBACK, async ({ ack, body, view, client, context }) => {
    const meta = Meta.safeParse(readJson(view.private_metadata, deps.logger));
    if (!meta.success) {
      await ack({
        response_action: 'update',
        view: messageModal('Scenario', ':warning: This form is out of date; nothing was saved.'),
      });
      return;
    }
    const parsed = parseScenarioState(meta.data.name, view.state.values as ScenarioStateValues);
    if (!parsed.input) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    let acked = false;
    try {
      requirePermission(await memberOf(context), 'scenario.set', 'set a scenario');
      // The levers the form has no input for are kept, unless its box says to drop them.
      const list = await setCycleScenario(deps.db, meta.data.cycleId, parsed.input, body.user.id, {
        seen: meta.data.seen,
        keep: parsed.dropKept ? () => ({}) : formlessLevers,
      });
      await ack();
      acked = true;
      // A double click, Slack's retry or an untouched form: true to say nothing was saved.
      const said = list.changed
        ? `Saved *${meta.data.name}*; the next plan run (\`/sop plan\`) uses it.`
        : `No change to *${meta.data.name}*: it already is what the form says, so nothing was saved.`;
      await client.chat.postEphemeral({
        channel: meta.data.channel,
        user: body.user.id,
        text: `${said}\n${scenarioListText(meta.data.month, list)}`,
      });
    } catch (err) {
      logUnexpected(deps.logger, err, 'scenario save failed');
      if (acked) return;
      const fields = err instanceof ScenarioInvalid ? scenarioFieldErrors(err.issues) : null;
      await ack(
        fields
          ? { response_action: 'errors', errors: fields }
          : {
              response_action: 'update',
              view: messageModal(`Scenario ${meta.data.name}`, warningText(err)),
            },
      );
    }
  });
}
