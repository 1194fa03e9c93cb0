/**
 * The "Make an S&OP action" message shortcut: a follow-up action made from a Slack message.
 * The trigger lives 3 s, so the form opens at once (loading), then the member, the policy
 * (`action.raise`) and the open cycle are read and the form drawn, or a refusal saying who may,
 * or that no cycle is open and how to open one. The submission is parsed with zod, checked
 * again (the policy, the due date against the company's today), and written with its audit
 * entry and its jobs in one transaction (src/services/action-from-message.ts) under the
 * view's request key; then the form says what was made and the jobs are handed to the queue.
 */
import type { App, MessageShortcut, types } from '@slack/bolt';
import { z } from 'zod';
import type { AppDeps } from '../src/deps.js';
import {
  MessageActionFieldError,
  makeMessageAction,
  messageActionForm,
} from '../src/services/action-from-message.js';
import { MAX_ACTION_CHARS } from '../src/services/decisions.js';
import { permissionRefusal, requirePermission } from '../src/services/members.js';
import { deliverJobs } from '../src/services/outbox.js';
import { type UsersInfoClient, userNamesFor } from '../src/services/user-names.js';
import { formFirst, openForm } from '../src/slack/after-ack-limit.js';
import { readableMessageText, unnamedMentions } from '../src/slack/command-text.js';
import { memberOf } from '../src/slack/member-context.js';
import {
  MAKE_ACTION_BLOCK,
  MAKE_ACTION_CALLBACK,
  MAKE_ACTION_ELEMENT,
  MAKE_ACTION_TITLE,
  madeActionModal,
  makeActionLoadingModal,
  makeActionModal,
  SHORTCUT_MAKE_ACTION,
  signedSource,
} from '../src/slack/presenters/action-from-message.js';
import { messageModal } from '../src/slack/presenters/change-modal.js';
import { clip } from '../src/slack/presenters/format.js';
import { fieldErrorText, logUnexpected, warningText } from '../src/slack/reply.js';
import { viewRequestKey } from '../src/slack/request-key.js';
import { metadataKey, metadataSigned, signMetadata } from '../src/slack/signed-metadata.js';

const WHAT = 'make a message into an S&OP action';

/**
 * The message the form was opened on (its private_metadata; the clicker's to forge, so read
 * here and its signature checked before anything is written).
 */
const TS = /^\d{1,20}\.\d{1,20}$/;

const sourceSchema = z.object({
  c: z.string().regex(/^[A-Z][A-Z0-9_]{1,40}$/),
  t: z.string().regex(TS),
  r: z.string().regex(TS).optional(),
  s: z.string().regex(/^[0-9a-f]{64}$/),
});

/** What the form's signature covers, besides the message (src/slack/signed-metadata.ts). */
const signedScope = (viewId: string, user: string) => ({
  purpose: SHORTCUT_MAKE_ACTION,
  viewId,
  user,
});

/** Said when a form's message is not the one it was opened on: its metadata was changed. */
const FORM_CHANGED =
  ':warning: This form no longer names the message it was opened on, so no action was made. Close it and use the shortcut on the message again.';

/** The form as submitted: Slack requires each field, but a forged or stale one may lack any. */
const stateSchema = z.object({
  [MAKE_ACTION_BLOCK.description]: z.object({
    [MAKE_ACTION_ELEMENT]: z.object({ value: z.string().nullish() }),
  }),
  [MAKE_ACTION_BLOCK.owner]: z.object({
    [MAKE_ACTION_ELEMENT]: z.object({ selected_user: z.string().nullish() }),
  }),
  [MAKE_ACTION_BLOCK.due]: z.object({
    [MAKE_ACTION_ELEMENT]: z.object({ selected_date: z.string().nullish() }),
  }),
});

export function register(app: App, deps: AppDeps): void {
  app.shortcut<MessageShortcut>(
    { callback_id: SHORTCUT_MAKE_ACTION, type: 'message_action' },
    async ({ ack, shortcut, client, context }) => {
      // The loading form opens before the after-ack slot is taken (its trigger_id lives 3 s);
      // the form's reads and its drawing wait for the slot.
      formFirst(shortcut);
      await ack();
      let opened: Awaited<ReturnType<typeof client.views.open>>;
      try {
        opened = await openForm(client, shortcut, {
          trigger_id: shortcut.trigger_id,
          view: makeActionLoadingModal(),
        });
      } catch (err) {
        logUnexpected(deps.logger, err, 'make-an-action form could not be opened');
        return;
      }
      const viewId = opened.view?.id;
      if (!viewId) {
        const err = new Error('views.open returned no view id');
        deps.logger.error({ err }, 'make-an-action form could not be opened');
        return;
      }
      let view: types.ModalView;
      try {
        const refused = permissionRefusal(await memberOf(context), 'action.raise', WHAT);
        view = refused
          ? messageModal(MAKE_ACTION_TITLE, warningText(refused))
          : await formOrWhyNot(deps, shortcut, viewId, client);
      } catch (err) {
        logUnexpected(deps.logger, err, 'make-an-action form failed');
        view = messageModal(MAKE_ACTION_TITLE, warningText(err));
      }
      // One update, the form or what went wrong: one Slack refuses (the person closed the
      // form) is logged once; another update of the same view would be refused the same.
      const hash = opened.view?.hash;
      await client.views
        .update({ view_id: viewId, ...(hash ? { hash } : {}), view })
        .catch((err: unknown) =>
          logUnexpected(deps.logger, err, 'make-an-action form could not be drawn'),
        );
    },
  );

  app.view(MAKE_ACTION_CALLBACK, async ({ ack, body, view, context, client }) => {
    const fieldError = async (block: string, err: unknown) => {
      const text = await fieldErrorText(err, userNamesFor(deps.db, client, deps.logger));
      await ack({ response_action: 'errors', errors: { [block]: text.slice(0, 2000) } });
    };
    const state = stateSchema.safeParse(view.state.values);
    const source = sourceSchema.safeParse(parseJson(view.private_metadata));
    if (!state.success || !source.success) {
      deps.logger.warn({ viewId: view.id }, 'make-an-action form could not be read');
      await ack({
        response_action: 'update',
        view: messageModal(
          MAKE_ACTION_TITLE,
          ':warning: This form could not be read. Close it and use the shortcut on the message again.',
        ),
      });
      return;
    }
    const values = state.data;
    const { c, t, r, s } = source.data;
    const message = { channel: c, ts: t, threadTs: r ?? null };
    const scope = signedScope(view.id, body.user.id);
    if (!metadataSigned(metadataKey(deps.config), scope, signedSource(message), s)) {
      // Changed after the bot drew it: the action, its note and its DM's link would name a
      // message of the clicker's choosing (a channel they are not in), so nothing is written.
      deps.logger.warn(
        { viewId: view.id, user: body.user.id },
        "make-an-action form refused: its message's signature does not match",
      );
      await ack({ response_action: 'update', view: messageModal(MAKE_ACTION_TITLE, FORM_CHANGED) });
      return;
    }
    let made: Awaited<ReturnType<typeof makeMessageAction>>;
    try {
      requirePermission(await memberOf(context), 'action.raise', WHAT);
      made = await makeMessageAction(
        { ...deps, slack: client },
        {
          description: values.description.value.value ?? '',
          owner: values.owner.value.selected_user ?? '',
          dueDate: values.due.value.selected_date ?? '',
          madeBy: body.user.id,
          source: message,
          requestKey: viewRequestKey(view),
        },
      );
    } catch (err) {
      logUnexpected(deps.logger, err, 'make-an-action submission failed');
      const block =
        err instanceof MessageActionFieldError
          ? MAKE_ACTION_BLOCK[err.field]
          : MAKE_ACTION_BLOCK.description;
      await fieldError(block, err);
      return;
    }
    await ack({ response_action: 'update', view: madeActionModal(made.action, made.cycleMonth) });
    if (made.jobRequests.length === 0) return;
    try {
      const d = await deliverJobs(deps.db, deps.queue, { ids: made.jobRequests });
      if (d.pending > 0)
        deps.logger.info(
          { action: made.action.id, waiting: d.pending, reason: d.error?.message },
          "job queue unavailable: the action's DM and reminders wait in the outbox",
        );
    } catch (err) {
      deps.logger.error(
        { err, action: made.action.id },
        'could not hand the action over; the relay delivers it',
      );
    }
  });
}

/** The form for the message, or the sentence saying why there is none (no open cycle). */
async function formOrWhyNot(
  deps: AppDeps,
  shortcut: MessageShortcut,
  viewId: string,
  client: UsersInfoClient,
) {
  let form: Awaited<ReturnType<typeof messageActionForm>>;
  try {
    form = await messageActionForm(deps);
  } catch (err) {
    logUnexpected(deps.logger, err, 'make-an-action form failed');
    return messageModal(MAKE_ACTION_TITLE, warningText(err));
  }
  const text = typeof shortcut.message.text === 'string' ? shortcut.message.text : '';
  // A reply's thread (Slack gives a reply, and a thread's first message, its thread_ts).
  const thread: unknown = shortcut.message.thread_ts;
  const source = {
    channel: shortcut.channel.id,
    ts: shortcut.message.ts,
    threadTs:
      typeof thread === 'string' && TS.test(thread) && thread !== shortcut.message.ts
        ? thread
        : null,
  };
  // A mention Slack's clients send without the name (`<@U…>`) reads as the person's name, as
  // the message shows it, not "@U07…": the names read in one go; one Slack does not give now
  // is the id, logged (a person is waiting).
  const nameOf = await userNamesFor(deps.db, client, deps.logger).names(unnamedMentions(text));
  const scope = signedScope(viewId, shortcut.user.id);
  return makeActionModal({
    description: clip(readableMessageText(text, nameOf).trim(), MAX_ACTION_CHARS),
    maxLength: MAX_ACTION_CHARS,
    due: form.due,
    cycleMonth: form.cycleMonth,
    source,
    signature: signMetadata(metadataKey(deps.config), scope, signedSource(source)),
  });
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
