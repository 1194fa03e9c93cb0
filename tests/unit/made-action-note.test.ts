/**
 * The note an action made from a message leaves in the message's thread is a new post: who
 * made it is named, escaped (a display name is typed text), not mentioned, which notified them
 * of what they did; the owner, asked to act, is mentioned.
 */
import { expect, it } from 'vitest';
import { madeActionThreadMessage } from '../../src/slack/presenters/action-from-message.js';

it('names the maker, escaped, and mentions the owner', () => {
  const names: Record<string, string> = { U_PAT: 'Pat <Ops> & co' };
  const msg = madeActionThreadMessage(
    {
      id: '12',
      owner: 'U_OTTO',
      due_date: '2027-02-17',
      description: 'Order 40 more pallets',
      created_by: 'U_PAT',
    },
    '2027-02',
    (id) => names[id] ?? id,
  );
  expect(msg.text).toBe(
    ':memo: Pat &lt;Ops&gt; &amp; co made this an S&OP follow-up action: *#12* Order 40 more pallets\nOwner <@U_OTTO>, due *2027-02-17* (cycle 2027-02).',
  );
});
