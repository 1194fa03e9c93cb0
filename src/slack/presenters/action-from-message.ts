/**
 * The "Make an S&OP action" message shortcut: its form (the message's text as the description,
 * an owner, a due date, the open cycle it is filed under), the form once submitted, and the
 * note in the message's thread. Pure.
 */
import type { types } from '@slack/bolt';
import type { ActionRow } from '../../../db/schema.js';
import { clip, esc, mrkdwn, plain } from './format.js';

export const SHORTCUT_MAKE_ACTION = 'make_sop_action';
export const MAKE_ACTION_CALLBACK = 'make_sop_action_submit';
export const MAKE_ACTION_TITLE = 'Make an S&OP action';
/** The form's blocks (each with one element, `value`), named as its refusals name them. */
export const MAKE_ACTION_BLOCK = {
  description: 'description',
  owner: 'owner',
  due: 'due',
} as const;
export const MAKE_ACTION_ELEMENT = 'value';

/** The message the form was opened on, as its private_metadata carries it. */
export interface SourceMessage {
  readonly channel: string;
  readonly ts: string;
  /** The thread it is a reply in; null for a message at the channel's top level. */
  readonly threadTs: string | null;
}

/**
 * The form's private_metadata: the message (`c`, `t`, and `r`, its thread, for a reply) and
 * the signature that binds it to the form (`s`, src/slack/signed-metadata.ts), since the
 * submission brings it back from the clicker.
 */
export function sourceMetadata(source: SourceMessage, signature: string): string {
  return JSON.stringify({
    c: source.channel,
    t: source.ts,
    ...(source.threadTs ? { r: source.threadTs } : {}),
    s: signature,
  });
}

/** What the signature covers of the message: its channel, its ts and its thread ('' for none). */
export function signedSource(source: SourceMessage): readonly string[] {
  return [source.channel, source.ts, source.threadTs ?? ''];
}

/** The form while the member and the open cycle are read (the trigger lives 3 s). */
export function makeActionLoadingModal(): types.ModalView {
  return {
    type: 'modal',
    callback_id: `${MAKE_ACTION_CALLBACK}_loading`,
    title: plain(MAKE_ACTION_TITLE),
    close: plain('Cancel'),
    blocks: [{ type: 'section', text: mrkdwn(':hourglass_flowing_sand: Loading…') }],
  };
}

/**
 * The form: `description` is the message's text read as plain text, already within
 * `maxLength` (a plain_text initial value: nothing in it is mrkdwn), `due` the proposed date.
 */
export function makeActionModal(d: {
  readonly description: string;
  readonly maxLength: number;
  readonly due: string;
  readonly cycleMonth: string;
  readonly source: SourceMessage;
  /** The signature of `source` for this form (signMetadata). */
  readonly signature: string;
}): types.ModalView {
  return {
    type: 'modal',
    callback_id: MAKE_ACTION_CALLBACK,
    private_metadata: sourceMetadata(d.source, d.signature),
    title: plain(MAKE_ACTION_TITLE),
    submit: plain('Make it'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: MAKE_ACTION_BLOCK.description,
        label: plain('What is to be done'),
        element: {
          type: 'plain_text_input',
          action_id: MAKE_ACTION_ELEMENT,
          multiline: true,
          max_length: d.maxLength,
          ...(d.description ? { initial_value: d.description } : {}),
        },
      },
      {
        type: 'input',
        block_id: MAKE_ACTION_BLOCK.owner,
        label: plain('Owner'),
        element: { type: 'users_select', action_id: MAKE_ACTION_ELEMENT },
      },
      {
        type: 'input',
        block_id: MAKE_ACTION_BLOCK.due,
        label: plain('Due date'),
        element: { type: 'datepicker', action_id: MAKE_ACTION_ELEMENT, initial_date: d.due },
      },
      {
        type: 'context',
        elements: [
          mrkdwn(
            `Filed under the open cycle, *${d.cycleMonth}*. The owner gets a DM with it, and reminders; a note goes in the message's thread.`,
          ),
        ],
      },
    ],
  };
}

/** The form once the action is made (or was, by the same submission sent again). */
export function madeActionModal(
  a: Pick<ActionRow, 'id' | 'owner' | 'due_date' | 'description'>,
  cycleMonth: string,
): types.ModalView {
  return {
    type: 'modal',
    title: plain(MAKE_ACTION_TITLE),
    close: plain('Close'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          clip(
            `:white_check_mark: Action *#${a.id}* made in cycle ${cycleMonth}: ${esc(a.description)}\nOwner <@${a.owner}>, due *${a.due_date}*.`,
            3000,
          ),
        ),
      },
    ],
  };
}

/**
 * The note in the message's thread: which action it became, whose, and by when. Who made it
 * is named (`nameOf`: display names, escaped here), not mentioned: the note is a new post, and
 * a mention would notify them of what they did themselves. The owner, asked to act, is.
 */
export function madeActionThreadMessage(
  a: Pick<ActionRow, 'id' | 'owner' | 'due_date' | 'description' | 'created_by'>,
  cycleMonth: string,
  nameOf: (id: string) => string,
): { text: string; blocks: types.KnownBlock[] } {
  const text = `:memo: ${esc(nameOf(a.created_by))} made this an S&OP follow-up action: *#${a.id}* ${esc(clip(a.description, 300))}\nOwner <@${a.owner}>, due *${a.due_date}* (cycle ${cycleMonth}).`;
  return {
    text: clip(text, 3000),
    blocks: [{ type: 'section', text: mrkdwn(clip(text, 3000)) }],
  };
}
