/**
 * `/sop explain FAM-3 2027-05`, `/sop explain LINE-1 2027-08`, `/sop explain why is FAM-3 up
 * in May`: the chain behind a figure, answered to the asker alone with a button to share it
 * in the channel. Questions that fit no form get the list of forms that do.
 */
import { z } from 'zod';
import { SopError } from '../src/errors.js';
import { explainQuestion, withSlackNames } from '../src/services/explain.js';
import { userNamesFor } from '../src/services/user-names.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { explainMessage } from '../src/slack/presenters/explain.js';

/** What the "Share in channel" button carries: the question and the cycle it was asked of. */
export const shareValueSchema = z.object({
  q: z.string().min(1).max(1500),
  c: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
});
export type ShareValue = z.infer<typeof shareValueSchema>;

const DAMAGED_SHARE =
  'This Share button is damaged, so nothing was shared. Ask again with `/sop explain` and share the new answer.';

/** A Share button's value: the question and its cycle, or a sentence saying it is damaged. */
export function readShareValue(raw: string | undefined): ShareValue {
  let json: unknown;
  try {
    json = JSON.parse(raw ?? '');
  } catch {
    throw new SopError('validation', DAMAGED_SHARE);
  }
  const r = shareValueSchema.safeParse(json);
  if (!r.success) throw new SopError('validation', DAMAGED_SHARE);
  return r.data;
}

export const explain: SopSubcommand = {
  name: 'explain',
  usage: '/sop explain FAM-3 2027-05 | LINE-1 2027-08 | why is FAM-3 up in May | who changed FAM-2',
  summary: 'where a figure comes from, step by step, and what a constraint costs',
  action: 'explain',
  async handle({ deps, rest, client, respond }) {
    // Named as Slack names them (a new installation has no names stored yet), never mentioned.
    const e = await withSlackNames(
      await explainQuestion(deps.db, rest),
      userNamesFor(deps.db, client, deps.logger),
    );
    const share =
      e.kind === 'not_understood'
        ? undefined
        : JSON.stringify({ q: rest.slice(0, 1500), c: e.cycleMonth } satisfies ShareValue);
    const msg = explainMessage(e, share ? { share } : {});
    await respond({ response_type: 'ephemeral', text: msg.text, blocks: msg.blocks });
  },
};
