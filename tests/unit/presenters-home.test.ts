import { describe, expect, it } from 'vitest';
import type { ActionRow, CycleRow } from '../../db/schema.js';
import { homeView } from '../../src/slack/presenters/home.js';
import { validateView } from '../../src/slack-standin/index.js';

const cycle: CycleRow = {
  id: 1,
  month: '2027-01',
  phase: 'data_gathering',
  deadlines: { data_gathering: '2027-01-06T17:00:00Z', demand_review: '2027-01-13T17:00:00Z' },
  phase_entered_at: new Date('2027-01-01T08:00:00Z'),
  opened_by: 'U1',
  opened_at: new Date('2027-01-01T08:00:00Z'),
  closed_at: null,
  adopted_scenario_id: null,
};

const action = (id: number): ActionRow => ({
  id: String(id),
  decision_id: null,
  cycle_id: 1,
  description: `Action ${id}`,
  owner: 'U1',
  due_date: '2027-01-20',
  status: 'open',
  snoozed_until: null,
  created_by: 'U2',
  created_at: new Date(),
  done_at: null,
  done_by: null,
  request_key: `k${id}`,
});

describe('App Home presenter', () => {
  it('shows role, families, phase with deadlines, submissions and actions, within the 100-block limit', () => {
    const view = homeView({
      member: { userId: 'U1', role: 'sales', families: ['FAM-1'], bootstrapAdmin: false },
      cycle,
      submissions: [
        {
          id: '9',
          family: 'FAM-1',
          period: '2027-05',
          kind: 'delta_units',
          value: -150,
          reasonCode: 'lost_customer',
          status: 'accepted',
          before: 1000,
          after: 850,
          createdAt: new Date(),
        },
      ],
      actions: Array.from({ length: 30 }, (_, i) => action(i + 1)),
      timezone: 'UTC',
    });
    expect(validateView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view);
    expect(text).toContain('Your role: *Sales*');
    expect(text).toContain('Data gathering: 2027-01-06 ← now');
    expect(text).toContain('*FAM-1* 2027-05 -150 (lost customer) 1,000 → 850 · accepted');
    expect(text).toContain('home_open_forecast');
    expect(text).not.toContain('home_open_capacity');
    expect(text).toContain('Action 20');
    expect(text).not.toContain('Action 21');
  });

  it('without a cycle or a role it says what to do', () => {
    const text = JSON.stringify(
      homeView({
        member: { userId: 'U9', role: null, families: [], bootstrapAdmin: false },
        cycle: null,
        submissions: [],
        actions: [],
        timezone: 'UTC',
      }),
    );
    expect(text).toContain('_no role yet_');
    expect(text).toContain('No S&OP cycle is open');
    expect(text).toContain('No open follow-up actions.');
  });
});
