/**
 * Vote buttons, the chair's Close button, the "Record the decision" button, the decision
 * modal's "Add another action" and its submission. Handlers ack first, then call services.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { can } from '../src/core/policy.js';
import type { AppDeps } from '../src/deps.js';
import { SopError, ValidationError } from '../src/errors.js';
import { rowIdNumber, rowIdString, rowIdText } from '../src/row-id.js';
import { today } from '../src/services/actions.js';
import {
  currentDecision,
  handOverDecision,
  ownerRefusals,
  recordDecision,
  SupersedeReasonRequired,
} from '../src/services/decisions.js';
import { escalationsToDecide } from '../src/services/escalations.js';
import { promptChair, refreshPollMessage } from '../src/services/meeting-posts.js';
import { enqueueDurably } from '../src/services/outbox.js';
import {
  castVote,
  closePoll,
  closerRefusal,
  decisionFormRefusal,
  getPollView,
  type PollView,
  recorderRefusal,
} from '../src/services/polls.js';
import { getSettings } from '../src/services/settings.js';
import { userNamesFor } from '../src/services/user-names.js';
import { formFirst, openForm, slotAfterForm } from '../src/slack/after-ack-limit.js';
import { redrawHome } from '../src/slack/home.js';
import { memberOf } from '../src/slack/member-context.js';
import {
  BREAKS_LEAVE_ROWS,
  DECISION_ADD_ACTION,
  DECISION_CALLBACK,
  type DecisionModalMeta,
  decisionModal,
  INITIAL_ACTION_ROWS,
  keepTradeOffs,
  MAX_ACTION_ROWS,
  parseDecisionState,
  type StateValues,
} from '../src/slack/presenters/decision.js';
import {
  DECISION_OPEN,
  outcomeText,
  tradeOffs,
  VOTE_CAST,
  VOTE_CLOSE,
  voteReceipt,
} from '../src/slack/presenters/vote.js';
import {
  fieldErrorText,
  INTERNAL_ERROR_TEXT,
  logUnexpected,
  tellPrivately,
  tellUser,
  userMessage,
  warningText,
} from '../src/slack/reply.js';
import { viewRequestKey } from '../src/slack/request-key.js';

type Click = BlockAction<ButtonAction>;

async function modalFor(db: AppDeps['db'], view: PollView, rows = INITIAL_ACTION_ROWS) {
  const sentences = tradeOffs(view.options, view.horizon);
  const choices = view.options.map((o, i) => ({
    scenarioId: o.scenarioId,
    label: o.label,
    tradeOff: sentences[i] ?? null,
  }));
  const current = await currentDecision(db, view.poll.cycle_id);
  return decisionModal(
    { cycleId: view.poll.cycle_id, pollId: view.poll.id, rows, supersedes: current?.id ?? null },
    choices,
    view.tally.winner,
    undefined,
    await escalationsToDecide(db, view.poll.cycle_id),
  );
}

const MetaSchema = z.object({
  cycleId: rowIdNumber,
  pollId: rowIdString.nullable(),
  rows: z.number().int().min(0).max(MAX_ACTION_ROWS),
  // A form drawn before it kept its most rows held BREAKS_LEAVE_ROWS, its breaks the rest.
  most: z.number().int().min(0).max(MAX_ACTION_ROWS).default(BREAKS_LEAVE_ROWS),
  supersedes: rowIdString.nullable().optional(),
});
/** The vote button's value: `<pollId>:<scenarioId>`, each a row id. */
const VoteValue = z
  .string()
  .transform((s) => s.split(':'))
  .pipe(z.tuple([rowIdString, rowIdString]));

/** When the click happened: Slack's `action_ts` ("1799338800.123456", seconds); null if not one. */
function clickTime(actionTs: string): Date | null {
  const seconds = Number(actionTs);
  return actionTs !== '' && Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}

/** The decision modal's private_metadata, parsed once at the edge. */
function parseMeta(raw: string): DecisionModalMeta {
  let json: unknown;
  try {
    json = JSON.parse(raw || '{}');
  } catch {
    throw new SopError(
      'validation',
      'The decision form is damaged (private_metadata is not JSON).',
    );
  }
  const r = MetaSchema.safeParse(json);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SopError('validation', `The decision form is damaged (${why}).`);
  }
  return r.data;
}

export function register(app: App, deps: AppDeps): void {
  app.action<Click>(
    new RegExp(`^${VOTE_CAST}_\\d+$`),
    async ({ ack, body, action, client, context }) => {
      await ack();
      try {
        const value = VoteValue.safeParse(action.value);
        if (!value.success) throw new SopError('validation', 'This vote button is malformed.');
        const [pollId, scenarioId] = value.data;
        const counted = can(await memberOf(context), 'vote.counted');
        const { outcome, view, closedByQuorum, standing } = await castVote(
          deps.db,
          {
            pollId,
            voter: body.user.id,
            scenarioId,
            counted,
            requestKey: `vote:${pollId}:${body.user.id}:${action.action_ts}:${scenarioId}`,
            clickedAt: clickTime(action.action_ts),
          },
          deps.clock.now(),
        );
        const labelOf = (id: string) => view.options.find((o) => o.scenarioId === id)?.label ?? id;
        await tellPrivately(
          client,
          body,
          voteReceipt(outcome, labelOf(scenarioId), standing && labelOf(standing)),
        );
        if (outcome !== 'recorded' && outcome !== 'changed') return;
        try {
          // The vote closed on its quorum with this click, in the vote's transaction.
          if (closedByQuorum) {
            const after = await refreshPollMessage(client, deps.db, pollId);
            await promptChair(client, deps.db, after);
            return;
          }
          await enqueueDurably(deps, 'poll-refresh', { pollId }, { debounceMs: 250 });
        } catch (err) {
          // The vote is stored (the receipt said so); only the message's refresh failed.
          deps.logger.error({ err, pollId }, 'vote stored, but the vote message was not refreshed');
          await tellPrivately(
            client,
            body,
            'Your vote is stored, but the vote message could not be refreshed yet. It has been logged.',
          );
        }
      } catch (err) {
        await tellUser(client, body, err, deps.logger);
      }
    },
  );

  // Closing may open the decision form (its trigger_id lives 3 s): no after-ack slot first.
  app.action<Click>(VOTE_CLOSE, async ({ ack, body, action, client, context }) => {
    formFirst(body);
    await ack();
    try {
      const pollId = rowIdText(action.value, "The vote's id");
      const before = await getPollView(deps.db, pollId);
      const refused = closerRefusal(await memberOf(context), before.poll);
      if (refused) {
        await tellPrivately(client, body, refused.message);
        return;
      }
      const { view } = await closePoll(
        deps.db,
        { pollId, by: body.user.id, reason: 'chair' },
        deps.clock.now(),
      );
      if (view.decision)
        await tellPrivately(
          client,
          body,
          `Decision ${view.decision.id} is already recorded for this vote; there is nothing left to decide.`,
        );
      else if (view.replacedBy)
        // No decision form on figures a newer run has replaced.
        await tellPrivately(client, body, outcomeText(view));
      else {
        // A cycle closed meanwhile (a client still showing the button): no form to refuse.
        const why = await decisionFormRefusal(deps.db, view);
        if (why) await tellPrivately(client, body, warningText(why));
        else
          await openForm(client, body, {
            trigger_id: body.trigger_id,
            view: await modalFor(deps.db, view),
          });
      }
      // The form is open, or none is: the redraw waits for an after-ack slot.
      await slotAfterForm(body);
      await refreshPollMessage(client, deps.db, pollId);
    } catch (err) {
      await tellUser(client, body, err, deps.logger);
    }
  });

  app.action<Click>(DECISION_OPEN, async ({ ack, body, action, client, context }) => {
    formFirst(body);
    await ack();
    try {
      const view = await getPollView(deps.db, rowIdText(action.value, "The vote's id"));
      const refused = recorderRefusal(await memberOf(context), view.poll);
      if (refused) {
        await tellPrivately(client, body, refused.message);
        return;
      }
      if (view.decision) {
        await tellPrivately(
          client,
          body,
          `Decision ${view.decision.id} is already recorded for this vote.`,
        );
        return;
      }
      // No form its submission would refuse (a closed cycle, figures a newer plan run
      // replaced): the refusal says how to go on.
      const why = await decisionFormRefusal(deps.db, view);
      if (why) throw why;
      await openForm(client, body, {
        trigger_id: body.trigger_id,
        view: await modalFor(deps.db, view),
      });
    } catch (err) {
      await tellUser(client, body, err, deps.logger);
    }
  });

  app.action<Click>(DECISION_ADD_ACTION, async ({ ack, body, client }) => {
    await ack();
    try {
      const current = body.view;
      if (!current) return;
      const meta = parseMeta(current.private_metadata);
      const choices: { scenarioId: string; label: string }[] = [];
      const scenarioBlock = current.blocks.find(
        (b) => (b as { block_id?: string }).block_id === 'scenario',
      ) as { element?: { options?: { value: string; text: { text: string } }[] } } | undefined;
      for (const o of scenarioBlock?.element?.options ?? [])
        choices.push({ scenarioId: o.value, label: o.text.text });
      const picked =
        (current.state?.values as StateValues | undefined)?.scenario?.pick?.selected_option
          ?.value ?? null;
      await client.views.update({
        view_id: current.id,
        hash: current.hash,
        view: keepTradeOffs(
          decisionModal({ ...meta, rows: meta.rows + 1 }, choices, picked),
          current.blocks,
        ),
      });
    } catch (err) {
      // Another click redrew the form first (its hash is stale): that redraw stands.
      if ((err as { data?: { error?: unknown } }).data?.error === 'hash_conflict') {
        deps.logger.debug({ viewId: body.view?.id }, 'decision form already redrawn');
        return;
      }
      await tellUser(client, body, err, deps.logger);
    }
  });

  app.view(DECISION_CALLBACK, async ({ ack, body, view, client, context }) => {
    let meta: DecisionModalMeta;
    try {
      meta = parseMeta(view.private_metadata);
    } catch (err) {
      logUnexpected(deps.logger, err, 'decision form metadata unreadable');
      await ack({ response_action: 'errors', errors: { rationale: userMessage(err) } });
      return;
    }
    // "In the past" means before today in the company's time zone.
    const { timezone } = await getSettings(deps.db);
    const day = today(deps.clock.now(), timezone);
    const parsed = parseDecisionState(view.state.values as StateValues, meta.rows, day, timezone);
    // An owner who is a bot, not in the workspace or deactivated is refused under their row's
    // owner, with the form's other mistakes; Slack is asked before the ack (users.info, once
    // per person, all at once, for at most OWNER_CHECK_MS: one it did not answer in time is
    // refused saying so), as Make an S&OP action and Reassign ask it.
    let owners: Record<string, string> = {};
    let ownersUnknown = false;
    try {
      const names = userNamesFor(deps.db, client, deps.logger);
      const refusals = Object.entries(
        await ownerRefusals({ ...deps, slack: client }, parsed.owners),
      );
      const texts = await Promise.all(
        refusals.map(([, why]) => fieldErrorText(new ValidationError(why), names)),
      );
      owners = Object.fromEntries(refusals.map(([field], k) => [field, texts[k]!.slice(0, 2000)]));
    } catch (err) {
      logUnexpected(deps.logger, err, 'decision form: the owners could not be looked up');
      ownersUnknown = true;
    }
    if (Object.keys(parsed.errors).length || Object.keys(owners).length || !parsed.scenarioId) {
      await ack({ response_action: 'errors', errors: { ...parsed.errors, ...owners } });
      return;
    }
    // Slack did not say whether the owners can own an action: nothing is recorded.
    if (ownersUnknown) {
      await ack({ response_action: 'errors', errors: { rationale: INTERNAL_ERROR_TEXT } });
      return;
    }
    let rec: Awaited<ReturnType<typeof recordDecision>>;
    try {
      // Of the vote the form names, or of none (`/sop decide`'s form): the same rule as the
      // button that opened it, asked again, since the form's metadata is the clicker's to forge.
      const poll = meta.pollId ? (await getPollView(deps.db, meta.pollId)).poll : null;
      const refused = recorderRefusal(await memberOf(context), poll);
      if (refused) throw refused;
      rec = await recordDecision(deps, {
        cycleId: meta.cycleId,
        pollId: meta.pollId,
        scenarioId: parsed.scenarioId,
        rationale: parsed.rationale,
        decidedBy: body.user.id,
        requestKey: viewRequestKey(view),
        actions: parsed.actions,
        supersedeReason: parsed.supersedeReason,
        dispositions: parsed.dispositions,
      });
    } catch (err) {
      logUnexpected(deps.logger, err, 'decision failed');
      // A decision recorded since this form opened: the form has no field for the reason.
      const reopen =
        err instanceof SupersedeReasonRequired
          ? ' Close this form and open it again to give the reason.'
          : '';
      // Slack shows a field's error as plain text: commands in quotes, people by name.
      const text = await fieldErrorText(err, userNamesFor(deps.db, client, deps.logger));
      await ack({
        response_action: 'errors',
        errors: { rationale: `${text}${reopen}`.slice(0, 2000) },
      });
      return;
    }
    // Answered first: what the decision owes (its log, the owners' DMs, the reminders) was
    // recorded with it in the job outbox; handing it to the queue may wait on Redis.
    await ack();
    await handOverDecision(deps, rec);
    // The decider's App Home asked for this decision (its Record the decision button): draw it
    // again without the request.
    await redrawHome(deps, client, body.user.id, 'the decision');
  });
}
