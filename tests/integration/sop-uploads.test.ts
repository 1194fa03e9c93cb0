/**
 * `/sop pack md` and `/sop decisions md|csv` upload a file where they were typed; where the bot
 * cannot share (a private channel or a DM it is not in: Slack answers the share with
 * `not_in_channel` or `channel_not_found`), the file goes to the person's DM and they are told.
 */
import { describe, expect, it } from 'vitest';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { commandEphemeral } from '../helpers/slack.js';

const EXEC = 'U_ALICE';
const DM = `D_${EXEC}`;

const h = useHttpTestBot('sop-uploads', {
  seed: async (t) => {
    await insertMembers(t.db, { [EXEC]: 'exec' });
    await insertCycle(t.db, { month: '2027-01', phase: 'executive' });
  },
});

/** The files shared in `channel`, by name. */
const sharedIn = (channel: string) =>
  h.standin
    .messagesIn(channel)
    .flatMap((m) => m.files)
    .map((id) => h.standin.files.find((f) => f.id === id)?.name);

describe('where the bot cannot share the file', () => {
  it('/sop pack md: the pack goes to the DM, and the person is told where', async () => {
    h.standin.failNext('files.completeUploadExternal', { error: 'not_in_channel' });
    const eph = await commandEphemeral(h, '/sop', EXEC, 'pack md', { channel: 'C_GENERAL' });
    expect(eph.text).toBe(
      "I can't share files in this conversation (I am not a member of it), so sop-pack-2027-01.md is in our direct messages.",
    );
    expect(sharedIn(DM)).toEqual(['sop-pack-2027-01.md']);
    expect(sharedIn('C_GENERAL')).toEqual([]);
  });

  it('/sop decisions md and csv: the log goes to the DM, and the person is told where', async () => {
    h.standin.failNext('files.completeUploadExternal', { error: 'channel_not_found' });
    const md = await commandEphemeral(h, '/sop', EXEC, 'decisions md', { channel: 'C_GENERAL' });
    expect(md.text).toBe(
      "I can't share files in this conversation (I am not a member of it), so sop-decisions.md (0 decisions) is in our direct messages.",
    );
    h.standin.failNext('files.completeUploadExternal', { error: 'not_in_channel' });
    const csv = await commandEphemeral(h, '/sop', EXEC, 'decisions 2027-01 csv', {
      channel: 'C_GENERAL',
    });
    expect(csv.text).toBe(
      "I can't share files in this conversation (I am not a member of it), so sop-decisions-2027-01.csv (0 decisions) is in our direct messages.",
    );
    expect(sharedIn(DM)).toEqual([
      'sop-pack-2027-01.md',
      'sop-decisions.md',
      'sop-decisions-2027-01.csv',
    ]);
    expect(sharedIn('C_GENERAL')).toEqual([]);
  });
});

it('where the bot can share, the file is uploaded where the command was typed', async () => {
  const eph = await commandEphemeral(h, '/sop', EXEC, 'pack md', { channel: 'C_GENERAL' });
  expect(eph.text).toBe('Uploaded sop-pack-2027-01.md.');
  expect(sharedIn('C_GENERAL')).toEqual(['sop-pack-2027-01.md']);
});

it('another refusal is not taken for "not a member": the person gets the apology', async () => {
  h.standin.failNext('files.completeUploadExternal', { error: 'invalid_arguments' });
  const eph = await commandEphemeral(h, '/sop', EXEC, 'pack md', { channel: 'C_GENERAL' });
  expect(eph.text).toContain('Something went wrong on our side');
  expect(sharedIn(DM)).toHaveLength(3);
});
