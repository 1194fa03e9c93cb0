/**
 * The interactive side of `/sop explain`: the "Share in channel" button under an answer,
 * and the "Explain this" message shortcut on sopbot's own messages (a modal listing the
 * figures the message names; picking one shows its explanation in the modal).
 */
import { createHash } from 'node:crypto';
import type {
  App,
  BlockAction,
  ButtonAction,
  MessageShortcut,
  StaticSelectAction,
} from '@slack/bolt';
import { z } from 'zod';
import type { AppDeps } from '../src/deps.js';
import {
  explainFigure,
  explainQuestion,
  figuresOfMessage,
  withSlackNames,
} from '../src/services/explain.js';
import { once } from '../src/services/requests.js';
import { userNamesFor } from '../src/services/user-names.js';
import { formFirst, openForm } from '../src/slack/after-ack-limit.js';
import {
  ACTION_EXPLAIN_PICK,
  ACTION_EXPLAIN_SHARE,
  EXPLAIN_FIGURES_BLOCK,
  explainMessage,
  explainModal,
  messageTexts,
  NOT_OURS_NOTICE,
  type PickerFigure,
  parseFigureValue,
  SHORTCUT_EXPLAIN,
  UNREADABLE_EXPLAIN_FORM,
} from '../src/slack/presenters/explain.js';
import { isUnexpected, logUnexpected, tellUser, userMessage } from '../src/slack/reply.js';
import { readShareValue } from './sop-explain.js';

/** What the modal carries: the cycle the figures are read in (forms opened before kept more). */
const modalMetadataSchema = z.object({ c: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) });

/** The modal's figure select, as Slack sends the view back with a pick. */
const figuresBlockSchema = z.object({
  block_id: z.literal(EXPLAIN_FIGURES_BLOCK),
  accessory: z.object({
    options: z
      .array(z.object({ value: z.string() }))
      .min(1)
      .max(100),
  }),
});

/**
 * The cycle and the figures of an "Explain this" form, or null when the form cannot be read
 * (metadata that is not ours, or no figure select).
 */
function readForm(view: {
  readonly private_metadata: string;
  readonly blocks: readonly unknown[];
}): { cycleMonth: string; figures: PickerFigure[] } | null {
  let raw: unknown;
  try {
    raw = JSON.parse(view.private_metadata);
  } catch {
    return null;
  }
  const meta = modalMetadataSchema.safeParse(raw);
  const select = view.blocks.map((b) => figuresBlockSchema.safeParse(b)).find((r) => r.success);
  if (!meta.success || !select?.data) return null;
  const figures = select.data.accessory.options.map((o) => parseFigureValue(o.value));
  if (figures.some((f) => f === null)) return null;
  return { cycleMonth: meta.data.c, figures: figures.filter((f) => f !== null) };
}

const digest = (parts: readonly string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);

export function register(app: App, deps: AppDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION_EXPLAIN_SHARE,
    async ({ ack, body, action, client, respond }) => {
      await ack();
      try {
        const value = readShareValue(action.value);
        // A double click on the button shares once.
        const key = `explain-share:${digest([body.user.id, body.container?.message_ts ?? '', action.value ?? ''])}`;
        await once(deps.db, key, 'explain:share', async () => {
          const e = await withSlackNames(
            await explainQuestion(deps.db, value.q, { cycleMonth: value.c }),
            userNamesFor(deps.db, client, deps.logger),
          );
          const msg = explainMessage(e, { sharedBy: body.user.id });
          await respond({
            response_type: 'in_channel',
            replace_original: false,
            text: msg.text,
            blocks: msg.blocks,
          });
        });
      } catch (err) {
        logUnexpected(deps.logger, err, 'explain share failed');
        await tellUser(client, body, err, deps.logger, { logged: true });
      }
    },
  );

  app.shortcut<MessageShortcut>(
    { callback_id: SHORTCUT_EXPLAIN, type: 'message_action' },
    async ({ ack, shortcut, client, context }) => {
      // The form opens before the after-ack slot is taken (its trigger_id lives 3 s).
      formFirst(shortcut);
      await ack();
      try {
        const m = shortcut.message;
        const fromBot =
          (context.botId !== undefined && m.bot_id === context.botId) ||
          (context.botUserId !== undefined && m.user === context.botUserId);
        if (!fromBot) {
          await openForm(client, shortcut, {
            trigger_id: shortcut.trigger_id,
            view: explainModal([], null, undefined, NOT_OURS_NOTICE),
          });
          return;
        }
        const { cycleMonth, figures } = await figuresOfMessage(deps.db, messageTexts(m));
        await openForm(client, shortcut, {
          trigger_id: shortcut.trigger_id,
          view: explainModal(figures, { cycleMonth }),
        });
      } catch (err) {
        logUnexpected(deps.logger, err, 'explain shortcut failed');
        await tellUser(
          client,
          { user: shortcut.user, channel: shortcut.channel },
          err,
          deps.logger,
          { logged: true },
        );
      }
    },
  );

  app.action<BlockAction<StaticSelectAction>>(
    ACTION_EXPLAIN_PICK,
    async ({ ack, body, action, client }) => {
      await ack();
      try {
        const view = body.view;
        if (!view) return;
        const form = readForm(view);
        if (!form) {
          deps.logger.warn({ viewId: view.id }, 'explain pick: the form could not be read');
          await client.views.update({
            view_id: view.id,
            hash: view.hash,
            view: explainModal([], null, undefined, UNREADABLE_EXPLAIN_FORM),
          });
          return;
        }
        const figure = parseFigureValue(action.selected_option.value);
        if (!figure) return;
        const { cycleMonth, figures } = form;
        // A figure that cannot be explained (no plan yet, a month outside it) says why in the modal.
        const explanation = await explainFigure(deps.db, figure, cycleMonth)
          .then((e) => withSlackNames(e, userNamesFor(deps.db, client, deps.logger)))
          .catch((err: unknown) => {
            if (isUnexpected(err)) throw err;
            return { kind: 'not_understood' as const, message: userMessage(err) };
          });
        await client.views.update({
          view_id: view.id,
          hash: view.hash,
          view: explainModal(figures, { cycleMonth }, { figure, explanation }),
        });
      } catch (err) {
        logUnexpected(deps.logger, err, 'explain pick failed');
        await tellUser(client, body, err, deps.logger, { logged: true });
      }
    },
  );
}
