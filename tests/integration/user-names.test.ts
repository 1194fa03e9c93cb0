/**
 * Names, not ids: users.info through Slack's WebClient on the stand-in, cached in memory and
 * in Postgres; without users:read the last known name (or the id) is shown, never an error.
 */
import { describe, expect, it } from 'vitest';
import { withAuthorNames } from '../../src/services/chart-data.js';
import { decisionsCsv } from '../../src/services/decisions.js';
import { createUserNames, displayNameOf } from '../../src/services/user-names.js';
import { useDb } from '../helpers/db.js';
import { standinClient, useStandin } from '../helpers/slack.js';

describe('user names', () => {
  const users = [
    { id: 'U_RITA', name: 'Rita', real_name: 'Rita Moreno', tz: 'UTC' },
    { id: 'U_OTTO', name: '', real_name: 'Otto Lind', tz: 'UTC' },
  ];
  const t = useDb();
  const standin = useStandin({ users });
  const noScope = useStandin({ users, scopes: ['chat:write', 'commands'] });

  it("picks Slack's order: display name, then real name, then handle", () => {
    expect(
      displayNameOf({ name: 'rita', profile: { display_name: 'Rita', real_name: 'R M' } }),
    ).toBe('Rita');
    expect(
      displayNameOf({ name: 'otto', profile: { display_name: ' ', real_name: 'Otto L' } }),
    ).toBe('Otto L');
    expect(displayNameOf({ name: 'sam' })).toBe('sam');
    expect(displayNameOf({})).toBeNull();
  });

  it('asks Slack once per person, keeps the name in Postgres, and falls back to the id', async () => {
    const client = standinClient(standin, 'xoxb-names');
    const names = createUserNames({ db: t.db, slack: client });
    const who = await names.names(['U_RITA', 'U_OTTO', 'U_RITA', 'U_GHOST']);
    expect(who('U_RITA')).toBe('Rita');
    expect(who('U_OTTO')).toBe('Otto Lind');
    expect(who('U_GHOST')).toBe('U_GHOST');
    await names.name('U_RITA');
    await names.name('U_OTTO');
    // Two people found, one not: three calls, the repeats served from memory.
    expect(standin.callsTo('users.info')).toHaveLength(3);

    const rows = await t.db
      .selectFrom('slack_user_names')
      .select(['slack_user_id', 'display_name'])
      .orderBy('slack_user_id')
      .execute();
    expect(rows).toEqual([
      { slack_user_id: 'U_OTTO', display_name: 'Otto Lind' },
      { slack_user_id: 'U_RITA', display_name: 'Rita' },
    ]);

    // A CLI without a token reads the names the bot saw.
    const offline = createUserNames({ db: t.db, slack: null });
    expect(await offline.name('U_OTTO')).toBe('Otto Lind');
    expect(await offline.name('U_SAM')).toBe('U_SAM');
  });

  it('without users:read: warns once and shows the last known name or the id', async () => {
    const warnings: string[] = [];
    const names = createUserNames({
      db: t.db,
      slack: standinClient(noScope, 'xoxb-names', { retries: 0 }),
      ttlMs: 0, // every stored name is stale: Slack is asked, and refuses.
      logger: { warn: (_o, msg) => warnings.push(msg) },
    });
    expect(await names.name('U_RITA')).toBe('Rita');
    expect(await names.name('U_NEW')).toBe('U_NEW');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('missing_scope');
  });

  it('charts and exports carry the names', () => {
    const who = (id: string) => ({ U_RITA: 'Rita', U_OTTO: 'Otto Lind' })[id] ?? id;
    const data = withAuthorNames(
      {
        run: {} as never,
        cycleMonth: '2027-01',
        gap: [],
        roughCut: null,
        scenarios: [],
        accuracy: [],
        cash: null,
        families: [
          {
            family: 'FAM-1',
            history: [],
            baseline: [],
            consensus: [],
            adjustments: [
              { period: '2027-05', author: 'U_RITA', reasonCode: 'promotion', before: 1, after: 2 },
            ],
          },
        ],
      },
      who,
    );
    expect(data.families[0]?.adjustments[0]?.author).toBe('Rita');
    const csv = decisionsCsv(
      [
        {
          id: '1',
          cycle: '2027-01',
          scenario: 'Central',
          scenarioId: '9',
          runId: '3',
          rationale: 'r',
          decidedBy: 'U_RITA',
          decidedAt: new Date('2027-01-20T10:00:00Z'),
          viaVote: true,
          tradeOff: null,
          actions: [
            {
              id: '5',
              owner: 'U_OTTO',
              due_date: '2027-02-01',
              status: 'open',
              description: 'Book overtime',
            } as never,
          ],
        },
      ],
      who,
    ).trim();
    expect(csv.split('\n')[1]).toMatch(/,U_OTTO,2027-02-01,open,Book overtime,Rita,Otto Lind$/);
  });
});
