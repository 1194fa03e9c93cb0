/**
 * The shared flow of /forecast and /capacity: open the modal (loading view first, the
 * trigger_id lives 3 s), turn a submission or a typed command into a stored change, and
 * answer. The command files say which service and reasons to use.
 */
import type {
  AllMiddlewareArgs,
  App,
  RespondFn,
  SlackViewMiddlewareArgs,
  SlashCommand,
  webApi,
} from '@slack/bolt';
import { activeFamilies, familyByCode } from '../../db/queries/adjustments.js';
import { activeResources } from '../../db/queries/capacity.js';
import { localDate } from '../core/calendar.js';
import { can } from '../core/policy.js';
import type { AppDeps } from '../deps.js';
import { SopError } from '../errors.js';
import {
  type ChangeInput,
  type ChangeKind,
  type ChangeOutcome,
  FieldError,
  horizonOf,
  openCycleForChanges,
  type RequestMeta,
} from '../services/adjustments.js';
import { NOTHING_TO_CHANGE, nothingToChange } from '../services/company-data.js';
import { getOpenCycle } from '../services/cycles.js';
import { demandView } from '../services/demand-view.js';
import { type Member, requirePermission } from '../services/members.js';
import { getSettings } from '../services/settings.js';
import { afterChange } from '../services/summary.js';
import { userNamesFor } from '../services/user-names.js';
import { formFirst, leaveAfterAckSlot, openForm } from './after-ack-limit.js';
import { inputFromState } from './change-state.js';
import { redrawHome } from './home.js';
import { memberOf } from './member-context.js';
import { parseChangeText } from './parse-change.js';
import { type ChangeSubject, confirmationBlocks, confirmationText } from './presenters/change.js';
import {
  CALLBACK,
  type ChangeModalData,
  changeModal,
  confirmationModal,
  decodeMeta,
  FIELD_BLOCK,
  loadingModal,
  type ModalMeta,
  messageModal,
  TARGET_ACTION,
  type TargetOption,
  targetGroups,
} from './presenters/change-modal.js';
import { esc } from './presenters/format.js';
import { fieldErrorText, logUnexpected, warningText } from './reply.js';
import { commandRequestKey, viewRequestKey } from './request-key.js';

/** A change kind as the commands take it: its usage line and its service. */
export interface ChangeSpec extends ChangeKind {
  readonly usage: string;
  submit(
    deps: AppDeps,
    member: Member,
    input: ChangeInput,
    meta: RequestMeta,
  ): Promise<ChangeOutcome>;
}

/** What opening a modal needs: a slash command or a button click both carry it. */
export interface ModalTrigger {
  readonly trigger_id: string;
  readonly user_id: string;
  readonly channel_id: string | null;
}

/** More than this and the target select searches (external_select) instead of listing. */
export const STATIC_SELECT_MAX = 100;

async function targets(
  deps: AppDeps,
  subject: ChangeSubject,
  member: Member,
): Promise<{ own: TargetOption[]; others: TargetOption[] }> {
  if (subject === 'capacity') {
    const all = await activeResources(deps.db);
    return { own: [], others: all.map((r) => ({ code: r.code, name: r.name })) };
  }
  const all = await activeFamilies(deps.db);
  // Only a sales rep covers families: another role's list is kept for a return to Sales.
  const mine = new Set(can(member, 'forecast.no-change') ? member.families : []);
  return {
    own: all.filter((f) => mine.has(f.code)),
    others: all.filter((f) => !mine.has(f.code)),
  };
}

/**
 * What the target's external select offers for what the user typed: the families or resources
 * whose code or name contains it (any case), the member's own families first, at most 100
 * options in all (Slack's limit).
 */
async function targetOptions(deps: AppDeps, subject: ChangeSubject, member: Member, query: string) {
  const q = query.trim().toLowerCase();
  const hit = (t: TargetOption) =>
    q === '' || t.code.toLowerCase().includes(q) || t.name.toLowerCase().includes(q);
  const { own, others } = await targets(deps, subject, member);
  return targetGroups(subject, own.filter(hit), others.filter(hit));
}

/**
 * Past STATIC_SELECT_MAX targets the modal's select is an external_select, and Slack asks for
 * its options as the user types (block_suggestion): answered here, for /forecast and /capacity
 * alike, whether the modal came from the command or from App Home. A refusal or a failure
 * answers no options (an unanswered request leaves the select spinning until Slack gives up).
 */
function registerTargetOptions(app: App, deps: AppDeps, spec: ChangeSpec): void {
  app.options(TARGET_ACTION[spec.subject], async ({ ack, body, context }) => {
    let groups: Awaited<ReturnType<typeof targetOptions>> = [];
    try {
      const member = await memberOf(context);
      requirePermission(member, spec.action, spec.doing);
      groups = await targetOptions(deps, spec.subject, member, body.value);
    } catch (err) {
      logUnexpected(deps.logger, err, `${spec.subject} options failed`);
    }
    await ack(groups.length > 0 ? { option_groups: groups } : { options: [] });
  });
}

/** Builds the modal for a member; `selectedCode` shows that family's demand (forecast only). */
export async function buildChangeModal(
  deps: AppDeps,
  spec: ChangeSpec,
  member: Member,
  channelId: string | null,
  selectedCode?: string,
) {
  requirePermission(member, spec.action, spec.doing);
  const cycle = await openCycleForChanges(deps, spec.what, { anyPhase: spec.anyPhase });
  const settings = await getSettings(deps.db);
  const { own, others } = await targets(deps, spec.subject, member);
  // Slack refuses a select with nothing to pick: say what is missing instead of a form.
  if (own.length + others.length === 0)
    throw new SopError('not_found', NOTHING_TO_CHANGE[spec.subject]);
  const meta: ModalMeta = { cycleId: cycle.id, channelId };
  let selected: TargetOption | undefined;
  let demand: ChangeModalData['demand'];
  if (selectedCode && spec.subject === 'forecast') {
    const family = await familyByCode(deps.db, selectedCode);
    if (family) {
      selected = { code: family.code, name: family.name };
      demand = await demandView(deps.db, cycle, settings, family);
    }
  }
  return changeModal({
    subject: spec.subject,
    meta,
    cycleMonth: cycle.month,
    own,
    others,
    external: own.length + others.length > STATIC_SELECT_MAX,
    horizon: horizonOf(cycle, settings),
    reasons: spec.reasons,
    thresholdPct: settings.comment_threshold_pct,
    selected,
    demand,
    offerNoChange: spec.subject === 'forecast' && can(member, 'forecast.no-change'),
  });
}

/** How long the check before a form may take: the trigger_id lives 3 s from Slack's send. */
const PRE_OPEN_CHECK_MS = 1000;

/**
 * The check's answer, or null when it takes longer than PRE_OPEN_CHECK_MS or fails (logged):
 * the form then opens, and buildChangeModal says the same thing inside it.
 */
async function beforeTriggerExpires(
  check: Promise<string | null>,
  deps: AppDeps,
): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), PRE_OPEN_CHECK_MS);
  });
  const answer = check.catch((err: unknown) => {
    deps.logger.warn({ err }, 'the check before opening a form failed; opening it anyway');
    return null;
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens the loading modal at once, then fills it in (or explains why not). The listener said
 * `formFirst` before its ack: the filling in waits for an after-ack slot, the opening does not.
 */
export async function openChangeModal(
  deps: AppDeps,
  spec: ChangeSpec,
  client: webApi.WebClient,
  command: ModalTrigger,
  /** Looked up after the loading modal is open (the trigger_id lives 3 s). */
  member: () => Promise<Member>,
  /** The request's body: its after-ack slot is taken once the modal is open. */
  request: object,
): Promise<void> {
  const opened = await openForm(client, request, {
    trigger_id: command.trigger_id,
    view: loadingModal(spec.subject),
  });
  const viewId = opened.view?.id;
  if (!viewId) throw new Error('views.open returned no view id');
  let view: ReturnType<typeof messageModal>;
  try {
    view = await buildChangeModal(deps, spec, await member(), command.channel_id);
  } catch (err) {
    logUnexpected(deps.logger, err, `${spec.subject} modal failed`);
    view = messageModal(spec.subject === 'forecast' ? 'Forecast' : 'Capacity', warningText(err));
  }
  await client.views.update({
    view_id: viewId,
    ...(opened.view?.hash ? { hash: opened.view.hash } : {}),
    view,
  });
}

/** Which modal block shows an error. */
export function errorBlock(err: unknown): string {
  if (err instanceof FieldError) return FIELD_BLOCK[err.field];
  if (err instanceof SopError && err.code === 'frozen_zone') return FIELD_BLOCK.from;
  return FIELD_BLOCK.target;
}

/**
 * After a modal submission: the confirmation, privately, where the modal was opened (an
 * ephemeral), or by DM when there is no such channel or the bot may not post there.
 */
export async function confirmPrivately(
  client: webApi.WebClient,
  userId: string,
  channelId: string | null,
  outcome: ChangeOutcome,
  subject: ChangeSubject,
): Promise<void> {
  const message = {
    text: confirmationText(outcome, subject),
    blocks: confirmationBlocks(outcome, subject),
  };
  if (channelId) {
    const sent = await client.chat
      .postEphemeral({ channel: channelId, user: userId, ...message })
      .then(
        () => true,
        () => false,
      );
    if (sent) return;
  }
  await client.chat.postMessage({ channel: userId, ...message });
}

/**
 * `/forecast <text>`: parse, store and confirm (ephemeral). Returns the stored change for the
 * caller's follow-ups (afterChange), or null when it was refused (the user has been told).
 */
export async function runTextChange(
  deps: AppDeps,
  spec: ChangeSpec,
  command: SlashCommand,
  respond: RespondFn,
  requestKey: string,
  member: () => Promise<Member>,
): Promise<ChangeOutcome | null> {
  let outcome: ChangeOutcome;
  try {
    const m = await member();
    requirePermission(m, spec.action, spec.doing);
    // A month named without its year is read from the open cycle's month (none: the company's
    // month today, in its zone, not UTC's).
    const cycle = await getOpenCycle(deps.db);
    const anchor =
      cycle?.month ??
      localDate(deps.clock.now(), (await getSettings(deps.db)).timezone).slice(0, 7);
    const input = parseChangeText(command.text, spec.reasons, spec.subject, anchor);
    outcome = await spec.submit(deps, m, input, {
      requestKey,
      source: 'command',
      teamId: command.team_id,
      channelId: command.channel_id,
    });
  } catch (err) {
    logUnexpected(deps.logger, err, `${spec.subject} command failed`);
    const syntax = err instanceof FieldError || (err instanceof SopError && err.code === 'usage');
    await respond({
      response_type: 'ephemeral',
      text: `${warningText(err)}${syntax ? `\nExpected: \`${spec.usage}\`` : ''}`,
    });
    return null;
  }
  await respond({
    response_type: 'ephemeral',
    text: confirmationText(outcome, spec.subject),
    blocks: confirmationBlocks(outcome, spec.subject),
  });
  return outcome;
}

/**
 * A change modal is submitted: validate and store before the ack, so problems show inline on
 * their fields and the modal stays open; then show the saved values, confirm privately,
 * refresh the channel summary and request a recompute.
 */
export async function submitChangeView(
  deps: AppDeps,
  spec: ChangeSpec,
  { ack, body, view, client, context }: SlackViewMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  const meta = decodeMeta(view.private_metadata);
  let outcome: ChangeOutcome;
  try {
    outcome = await spec.submit(deps, await memberOf(context), inputFromState(view.state.values), {
      requestKey: viewRequestKey(view),
      source: 'modal',
      teamId: body.team?.id ?? null,
      channelId: meta?.channelId ?? null,
    });
  } catch (err) {
    logUnexpected(deps.logger, err, `${spec.subject} submission failed`);
    // Slack shows a field's error as plain text: commands in quotes, people (the members a
    // frozen month's refusal says to ask) by name.
    const text = await fieldErrorText(err, userNamesFor(deps.db, client, deps.logger));
    await ack({ response_action: 'errors', errors: { [errorBlock(err)]: text } });
    return;
  }
  await ack({ response_action: 'update', view: confirmationModal(outcome, spec.subject) });
  await confirmPrivately(
    client,
    body.user.id,
    meta?.channelId ?? null,
    outcome,
    spec.subject,
  ).catch((err: unknown) => deps.logger.warn({ err }, 'confirmation not sent'));
  // A form opened from App Home (no channel): draw the Home again, so its submissions and what
  // it asks of the member show this change without reopening the tab.
  if (!meta?.channelId) await redrawHome(deps, client, body.user.id, 'the change');
  leaveAfterAckSlot(body);
  await afterChange(deps, client, spec.subject, outcome);
}

/**
 * `/forecast` and `/capacity`: no text opens the modal, `help` shows `usage`, `more` may take
 * a word of its own (it returns true when it answered), any other text is a change; the
 * modal's submission, and the options of its target select when it searches. Like every
 * listener's, the work after the ack takes one of the bot's after-ack slots, but no text opens
 * the form first (`formFirst`) and takes its slot after `views.open`; the channel summary
 * waits outside it (`leaveAfterAckSlot`), as `more` does with the request's `body`.
 */
export function registerChangeCommand(
  app: App,
  deps: AppDeps,
  spec: ChangeSpec,
  usage: string,
  more?: (
    text: string,
    respond: RespondFn,
    member: () => Promise<Member>,
    client: webApi.WebClient,
    body: object,
  ) => Promise<boolean>,
): void {
  app.command(`/${spec.subject}`, async ({ ack, body, command, client, respond, context }) => {
    const text = command.text.trim().toLowerCase();
    // The form's trigger_id lives 3 s: it opens without waiting for an after-ack slot.
    if (text === '') formFirst(body);
    await ack();
    const member = () => memberOf(context);
    if (text === '') {
      // Nothing to pick yet (no families, no resources): answer privately, open no form.
      const missing = await beforeTriggerExpires(nothingToChange(deps.db, spec.subject), deps);
      if (missing) {
        await respond({ response_type: 'ephemeral', text: `:warning: ${esc(missing)}` });
        return;
      }
      return openChangeModal(deps, spec, client, command, member, body);
    }
    if (text === 'help') {
      await respond({ response_type: 'ephemeral', text: `Usage: \`${usage}\`` });
      return;
    }
    if (more && (await more(text, respond, member, client, body))) return;
    const outcome = await runTextChange(
      deps,
      spec,
      command,
      respond,
      commandRequestKey(command),
      member,
    );
    // The channel summary may wait (its batching, Slack's Retry-After): not in a slot.
    leaveAfterAckSlot(body);
    if (outcome) await afterChange(deps, client, spec.subject, outcome);
  });
  app.view(CALLBACK[spec.subject], (args) => submitChangeView(deps, spec, args));
  registerTargetOptions(app, deps, spec);
}
