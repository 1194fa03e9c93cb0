/**
 * "Explain this" on a bot message naming 100 figures whose codes are long: the form's
 * private_metadata stays valid and under Slack's 3000 characters, a pick explains the
 * figure, and a form whose metadata cannot be read says so instead of failing.
 */
import { WebClient } from '@slack/web-api';
import { expect, it } from 'vitest';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';

const PLANNER = 'U_ALICE';
/** 18 characters: 100 figures as [code, month] pairs took about 3,100 characters of JSON. */
const code = (i: number) => `OUTDOOR-FAMILY-${String(i).padStart(3, '0')}`;

const h = useHttpTestBot('explain-form', {
  seed: async (t) => {
    await t.db
      .insertInto('families')
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          code: code(i + 1),
          name: `Outdoor family ${i + 1}`,
          price: 10,
          unit_cost: 5,
          holding_cost: 1,
          backlog_cost: 2,
        })),
      )
      .execute();
    await insertMembers(t.db, { [PLANNER]: 'planner' });
    await insertCycle(t.db, { month: '2027-01', phase: 'supply_review' });
  },
});

type Block = { block_id?: string; accessory?: { options: { value: string }[] } };

/** Opens "Explain this" on a bot message naming the 100 families in March. */
async function openForm() {
  const bot = new WebClient(h.env.SLACK_BOT_TOKEN, { slackApiUrl: h.standin.apiUrl });
  const codes = Array.from({ length: 100 }, (_, i) => code(i + 1));
  const posted = await bot.chat.postMessage({
    channel: 'C_SUPPLY',
    text: `Movers in 2027-03: ${codes.join(', ')}`,
  });
  const before = new Set(h.standin.store.views.keys());
  const r = await h.driver.messageShortcut('C_SUPPLY', posted.ts ?? '', 'explain_this', {
    user: PLANNER,
  });
  expect(r.ok).toBe(true);
  return h.standin.waitFor(() => {
    const v = h.standin.openViews(PLANNER).at(-1);
    return v?.definition.callback_id === 'explain_modal' && !before.has(v.id) ? v : undefined;
  });
}

const dms = () => h.standin.messagesIn(`D_${PLANNER}`).map((m) => m.text);

it('100 figures with 18-character codes: valid metadata under 3000, and a pick explains the figure', async () => {
  const view = await openForm();
  expect(JSON.parse(String(view.definition.private_metadata))).toEqual({ c: '2027-01' });
  const select = (view.definition.blocks as Block[])[0]?.accessory;
  expect(select?.options).toHaveLength(100);
  expect(select?.options[41]?.value).toBe('OUTDOOR-FAMILY-042 2027-03');

  const pick = await h.driver.selectOption(view.id, 'explain_pick', 'OUTDOOR-FAMILY-042 2027-03', {
    user: PLANNER,
  });
  expect(pick.ok).toBe(true);
  const updated = await h.standin.waitFor(() => {
    const v = h.standin.openViews(PLANNER).at(-1);
    return (v?.definition.blocks as unknown[] | undefined)?.some(
      (b) => (b as { type: string }).type === 'divider',
    )
      ? v
      : undefined;
  });
  const blocks = updated.definition.blocks as Block[];
  expect(blocks[0]?.accessory?.options).toHaveLength(100);
  expect(JSON.stringify(blocks.slice(1))).toContain('OUTDOOR-FAMILY-042');
  expect(JSON.parse(String(updated.definition.private_metadata))).toEqual({ c: '2027-01' });
  expect(dms()).toEqual([]);
});

it('a form whose metadata cannot be read says so in the modal, not "something went wrong"', async () => {
  const view = await openForm();
  // What the old form carried once cut at 3000 characters: JSON that does not parse.
  const stored = h.standin.store.views.get(view.id);
  if (!stored) throw new Error('no stored view');
  h.standin.store.views.set(view.id, {
    ...stored,
    definition: {
      ...stored.definition,
      private_metadata: '{"c":"2027-01","f":[["OUTDOOR-FAMILY-001","2027-0',
    },
  });
  const pick = await h.driver.selectOption(view.id, 'explain_pick', 'OUTDOOR-FAMILY-001 2027-03', {
    user: PLANNER,
  });
  expect(pick.ok).toBe(true);
  const updated = await h.standin.waitFor(() => {
    const v = h.standin.openViews(PLANNER).at(-1);
    return JSON.stringify(v?.definition.blocks ?? []).includes('could not be read') ? v : undefined;
  });
  expect(updated.definition.blocks).toEqual([
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':warning: This *Explain this* form could not be read (it may come from an older version of sopbot). Close it and choose *Explain this* on the message again.',
      },
    },
  ]);
  expect(dms()).toEqual([]);
});
