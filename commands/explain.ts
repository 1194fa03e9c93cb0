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
import { SopError } from '../src/errors.js';
import { explainFigure, explainQuestion, figuresOfMessage } from '../src/services/explain.js';
import { once } from '../src/services/requests.js';
import {
  ACTION_EXPLAIN_PICK,
  ACTION_EXPLAIN_SHARE,
  explainMessage,
  explainModal,
  messageTexts,
  NOT_OURS_NOTICE,
  parseFigureValue,
  SHORTCUT_EXPLAIN,
} from '../src/slack/presenters/explain.js';
import { tellUser } from '../src/slack/reply.js';
import { shareValueSchema } from './sop-explain.js';

/** What the modal carries: the cycle the figures are read in, and the figures offered. */
const modalMetadataSchema = z.object({
  c: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  f: z.array(z.tuple([z.string(), z.string()])).max(100),
});

const digest = (parts: readonly string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);

export function register(app: App, deps: AppDeps): void {
  /** An error a person should not see as is: logged once with its stack (a SopError is not). */
  const unexpected = (err: unknown): boolean =>
    !(err instanceof SopError) || err.code === 'internal';

  app.action<BlockAction<ButtonAction>>(
    ACTION_EXPLAIN_SHARE,
    async ({ ack, body, action, client, respond }) => {
      await ack();
      try {
        const value = shareValueSchema.parse(JSON.parse(action.value ?? '{}'));
        // A double click on the button shares once.
        const key = `explain-share:${digest([body.user.id, body.container?.message_ts ?? '', action.value ?? ''])}`;
        await once(deps.db, key, 'explain:share', async () => {
          const e = await explainQuestion(deps.db, value.q, { cycleMonth: value.c });
          const msg = explainMessage(e, { sharedBy: body.user.id });
          await respond({
            response_type: 'in_channel',
            replace_original: false,
            text: msg.text,
            blocks: msg.blocks,
          });
        });
      } catch (err) {
        if (unexpected(err)) deps.logger.error({ err }, 'explain share failed');
        await tellUser(client, body, err);
      }
    },
  );

  app.shortcut<MessageShortcut>(
    { callback_id: SHORTCUT_EXPLAIN, type: 'message_action' },
    async ({ ack, shortcut, client, context }) => {
      await ack();
      try {
        const m = shortcut.message;
        const fromBot =
          (context.botId !== undefined && m.bot_id === context.botId) ||
          (context.botUserId !== undefined && m.user === context.botUserId);
        if (!fromBot) {
          await client.views.open({
            trigger_id: shortcut.trigger_id,
            view: explainModal([], '{}', undefined, NOT_OURS_NOTICE),
          });
          return;
        }
        const { cycleMonth, figures } = await figuresOfMessage(deps.db, messageTexts(m));
        const metadata = JSON.stringify({
          c: cycleMonth,
          f: figures.map((f) => [f.code, f.period]),
        });
        await client.views.open({
          trigger_id: shortcut.trigger_id,
          view: explainModal(figures, metadata),
        });
      } catch (err) {
        if (unexpected(err)) deps.logger.error({ err }, 'explain shortcut failed');
        await tellUser(client, { user: shortcut.user, channel: shortcut.channel }, err);
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
        const meta = modalMetadataSchema.parse(JSON.parse(view.private_metadata || '{}'));
        const figure = parseFigureValue(action.selected_option.value);
        if (!figure) return;
        const figures = meta.f.map(([code, period]) => ({ code, period }));
        // A figure that cannot be explained (no plan yet, a month outside it) says why in the modal.
        const explanation = await explainFigure(deps.db, figure, meta.c).catch((err: unknown) => {
          if (err instanceof SopError && err.code !== 'internal')
            return { kind: 'not_understood' as const, message: err.message };
          throw err;
        });
        await client.views.update({
          view_id: view.id,
          hash: view.hash,
          view: explainModal(figures, view.private_metadata, { figure, explanation }),
        });
      } catch (err) {
        if (unexpected(err)) deps.logger.error({ err }, 'explain pick failed');
        await tellUser(client, body, err);
      }
    },
  );
}
