/**
 * The files `/sop decisions md|csv` and `/sop pack md` upload name people, as `sopbot
 * decisions` and `sopbot pack` do: Slack renders no `<@U…>` mention inside a file. Before,
 * the uploaded decision log read "U_CEO" in its `decided_by_name` column and "Decided by
 * U_CEO", and the uploaded pack "recorded by U_CEO", where the CLI's files said Carla.
 */
import { describe, expect, it } from 'vitest';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { commandEphemeral } from '../helpers/slack.js';
import { insertRun, SCENARIOS } from './meeting-fixture.js';

const CEO = 'U_CEO';
const OTTO = 'U_OTTO';

const h = useHttpTestBot('upload-names', {
  // Slack's clients show the display name first (here Carla and Otto), as the files do.
  standin: {
    users: [
      { id: CEO, name: 'Carla', real_name: 'Carla Diaz', tz: 'UTC' },
      { id: OTTO, name: 'Otto', real_name: 'Otto Berg', tz: 'UTC' },
    ],
  },
  seed: async (t) => {
    await insertMembers(t.db, { [CEO]: 'exec', [OTTO]: 'ops' });
    const cycleId = await insertCycle(t.db, { month: '2027-01', phase: 'executive' });
    const { ids } = await insertRun(t.db, {
      cycleId,
      runKey: 'upload-names',
      periods: ['2027-01'],
      demand: {},
      price: {},
      resources: [],
      scenarios: SCENARIOS.slice(0, 1),
    });
    const decision = await t.db
      .insertInto('decisions')
      .values({
        cycle_id: cycleId,
        scenario_id: ids.central!,
        title: 'Central',
        rationale: 'Service first',
        decided_by: CEO,
        decided_at: new Date('2027-01-25T15:00:00Z'),
        request_key: 'upload-names-decision',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('actions')
      .values({
        decision_id: decision.id,
        cycle_id: cycleId,
        description: 'Book weekend overtime',
        owner: OTTO,
        due_date: '2027-01-29',
        created_by: CEO,
        request_key: 'upload-names-action',
      })
      .execute();
  },
});

/** The text of the last file of that name uploaded. */
const uploaded = (name: string) =>
  Buffer.from(h.standin.files.findLast((f) => f.name === name)?.bytes ?? '').toString('utf8');

describe('the files uploaded from Slack', () => {
  it('/sop decisions csv: the name columns hold names, the id columns ids', async () => {
    const eph = await commandEphemeral(h, '/sop', CEO, 'decisions csv');
    expect(eph.text).toBe('Uploaded sop-decisions.csv (1 decisions).');
    const [head, row] = uploaded('sop-decisions.csv').trim().split('\n');
    const cols = head!.split(',');
    const cells = row!.split(',');
    const cell = (c: string) => cells[cols.indexOf(c)];
    expect([cell('decided_by'), cell('owner')]).toEqual([CEO, OTTO]);
    expect([cell('decided_by_name'), cell('owner_name')]).toEqual(['Carla', 'Otto']);
  });

  it('/sop decisions md and /sop pack md name people, as the CLI does', async () => {
    await commandEphemeral(h, '/sop', CEO, 'decisions md');
    const log = uploaded('sop-decisions.md');
    expect(log).toContain('- Decided by Carla on 2027-01-25 15:00 UTC');
    expect(log).toContain('| Otto | 2027-01-29 | open | Book weekend overtime |');
    expect(log).not.toMatch(/U_CEO|U_OTTO/);
    await commandEphemeral(h, '/sop', CEO, 'pack md');
    const pack = uploaded('sop-pack-2027-01.md');
    expect(pack).toContain('recorded by Carla');
    expect(pack).not.toMatch(/U_CEO|U_OTTO/);
  });
});
